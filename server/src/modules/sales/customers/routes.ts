import type { HainaModule } from '../../../platform/http/module.js'

/** Sales: customers (issue #5). */
export const customersModule: HainaModule = {
  name: 'customers',
  routes() {},
}
