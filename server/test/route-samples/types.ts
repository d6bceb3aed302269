import type { Kit, TestSession, Workspace } from '../kit.js'

/**
 * How to call one route validly, for the tests generated from the route list (tenant isolation,
 * audit of every mutation). Every /api/v1 route with an :id param and every mutation route must
 * have a sample, or those tests fail.
 */
export interface RouteSample {
  /** 'METHOD /url/as/registered/:id' */
  route: string
  /**
   * Arranges data in `ws` and returns the request to make. For routes with :id, the returned
   * params must name a record that exists in `ws` (the isolation test calls it from the other workspace).
   */
  prepare(
    kit: Kit,
    ws: Workspace,
  ): Promise<{
    params?: Record<string, string>
    body?: unknown
    query?: Record<string, string>
    as?: TestSession
  }>
  /** The audit object type the mutation records; null only for routes that change no stored record. */
  audits: string | null
  /** Why the generated tests cannot run this route (it is then covered by a named test instead). */
  coveredElsewhere?: string
}
