import type { HainaModule } from '../http/module.js'

/** Routes of org units + roles. (Filled in by its owner.) */
export const orgModule: HainaModule = { name: 'org' }
