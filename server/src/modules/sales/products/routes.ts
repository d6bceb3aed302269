import type { HainaModule } from '../../../platform/http/module.js'

/** Sales: products (issue #5). */
export const productsModule: HainaModule = {
  name: 'products',
  routes() {},
}
