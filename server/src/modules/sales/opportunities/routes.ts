import type { HainaModule } from '../../../platform/http/module.js'

/** Sales: opportunities (issue #5). */
export const opportunitiesModule: HainaModule = {
  name: 'opportunities',
  routes() {},
}
