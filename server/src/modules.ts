import { campaignsModule } from './modules/campaigns/routes.js'
import { intakeModule } from './modules/intake/routes.js'
import { leadsModule } from './modules/leads/routes.js'
import { qualityModule } from './modules/quality/routes.js'
import { auditModule } from './platform/audit/routes.js'
import { accountsModule } from './platform/auth/routes.js'
import { customFieldsModule } from './platform/custom-fields/routes.js'
import { healthModule } from './platform/http/health.js'
import type { HainaModule } from './platform/http/module.js'
import { webModule } from './platform/http/web.js'
import { jobsModule } from './platform/jobs/routes.js'
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
  // last: its catch-all route serves the web app's client-side routes
  webModule,
]
