import type { HainaModule } from '../../../platform/http/module.js'

/** Tag taxonomy, tagging (one by one, bulk, import), tag history and automatic tag rules. */
export const tagsModule: HainaModule = {
  name: 'tags',
  routes() {},
}
