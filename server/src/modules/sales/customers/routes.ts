import type { HainaModule } from '../../../platform/http/module.js'
import { registerContactRoutes } from './contacts.routes.js'
import { registerConversionRoutes } from './conversion.routes.js'
import { registerCustomerRoutes } from './customers.routes.js'
import './jobs.js'
import './messages.js'
import { registerCustomerPoolRoutes } from './pool.routes.js'
import './subjects.js'

/** Sales (issue #5): customers, their contacts, the customer public pool, A–E groups, lead conversion. */
export const customersModule: HainaModule = {
  name: 'customers',
  routes(app) {
    registerCustomerRoutes(app)
    registerCustomerPoolRoutes(app)
    registerContactRoutes(app)
    registerConversionRoutes(app)
  },
}
