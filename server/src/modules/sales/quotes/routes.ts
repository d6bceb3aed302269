import type { HainaModule } from '../../../platform/http/module.js'

/** Sales: quotes (issue #5). */
export const quotesModule: HainaModule = {
  name: 'quotes',
  routes() {},
}
