import type { HainaModule } from '../http/module.js'

/** Routes of custom fields + regions. (Filled in by its owner.) */
export const customFieldsModule: HainaModule = { name: 'customFields' }
