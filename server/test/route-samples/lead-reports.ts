import type { RouteSample } from './types.js'

/**
 * The lead reports (GET /api/v1/lead-reports/funnel, /pool-activity, /first-contact) take no :id
 * and change nothing, so the generated tests need no sample; reports.test.ts covers their scope.
 */
export const samples: RouteSample[] = []
