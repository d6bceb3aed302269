import type { HainaModule } from '../../../platform/http/module.js'

/** Sales: orders (issue #5). */
export const ordersModule: HainaModule = {
  name: 'orders',
  routes() {},
}
