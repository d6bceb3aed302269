import type { HainaModule } from '../http/module.js'

/** Routes of accounts (setup, auth, users, invitations, API keys, workspace). (Filled in by its owner.) */
export const accountsModule: HainaModule = { name: 'accounts' }
