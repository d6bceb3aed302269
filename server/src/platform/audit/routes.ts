import type { HainaModule } from '../http/module.js'

/** Routes of audit (audit log search + recycle bin). (Filled in by its owner.) */
export const auditModule: HainaModule = { name: 'audit' }
