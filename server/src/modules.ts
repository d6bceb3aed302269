import { campaignsModule } from './modules/campaigns/routes.js'
import { intakeModule } from './modules/intake/routes.js'
import { followUpsModule } from './modules/leads/followups.routes.js'
import { poolsModule } from './modules/leads/pools.routes.js'
import { leadReportsModule } from './modules/leads/reports.routes.js'
import { leadsModule } from './modules/leads/routes.js'
import { routingModule } from './modules/leads/routing.routes.js'
import { profileConditionsModule } from './modules/profiles/conditions/routes.js'
import { personsModule } from './modules/profiles/persons/routes.js'
import { segmentsModule } from './modules/profiles/segments/routes.js'
import { tagsModule } from './modules/profiles/tags/routes.js'
import { qualityModule } from './modules/quality/routes.js'
import { salesAnalyticsModule } from './modules/sales/analytics/routes.js'
import { customersModule } from './modules/sales/customers/routes.js'
import { opportunitiesModule } from './modules/sales/opportunities/routes.js'
import { ordersModule } from './modules/sales/orders/routes.js'
import { productsModule } from './modules/sales/products/routes.js'
import { quotesModule } from './modules/sales/quotes/routes.js'
import { tasksModule } from './modules/sales/tasks/routes.js'
import { auditModule } from './platform/audit/routes.js'
import { accountsModule } from './platform/auth/routes.js'
import { customFieldsModule } from './platform/custom-fields/routes.js'
import { healthModule } from './platform/http/health.js'
import type { HainaModule } from './platform/http/module.js'
import { webModule } from './platform/http/web.js'
import { jobsModule } from './platform/jobs/routes.js'
import { notificationsModule } from './platform/notifications/routes.js'
import { orgModule } from './platform/org/routes.js'

/** Every capability mounted on the server, in registration order. */
export const modules: HainaModule[] = [
  healthModule,
  accountsModule,
  orgModule,
  customFieldsModule,
  auditModule,
  jobsModule,
  leadsModule,
  intakeModule,
  qualityModule,
  campaignsModule,
  // Issue #4: pools, public pool, distribution and assignment, follow-ups, reports
  poolsModule,
  routingModule,
  followUpsModule,
  notificationsModule,
  leadReportsModule,
  // Issue #5: sales
  customersModule,
  productsModule,
  opportunitiesModule,
  quotesModule,
  ordersModule,
  tasksModule,
  salesAnalyticsModule,
  // Issue #6: profiles (persons, tags and rules, segments)
  profileConditionsModule,
  personsModule,
  tagsModule,
  segmentsModule,
  // last: its catch-all route serves the web app's client-side routes
  webModule,
]
