import type { HainaModule } from '../http/module.js'

/** Routes of jobs. (Filled in by its owner.) */
export const jobsModule: HainaModule = { name: 'jobs' }
