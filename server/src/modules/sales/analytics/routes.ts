import type { HainaModule } from '../../../platform/http/module.js'

/** Sales: analytics (issue #5). */
export const salesAnalyticsModule: HainaModule = {
  name: 'salesAnalytics',
  routes() {},
}
