import type { HainaModule } from '../../platform/http/module.js'

/** Routes of leads. (Filled in by its owner.) */
export const leadsModule: HainaModule = { name: 'leads' }
