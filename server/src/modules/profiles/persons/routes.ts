import type { HainaModule } from '../../../platform/http/module.js'

/** Persons: the directory (search, bulk selection) and the profile view (画像). */
export const personsModule: HainaModule = {
  name: 'persons',
  routes() {},
}
