import type { Kit, Workspace } from '../kit.js'

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
  prepare(kit: Kit, ws: Workspace): Promise<{ params?: Record<string, string>; body?: unknown; query?: Record<string, string> }>
  /** The audit object type the mutation records; null only for routes that change no stored record. */
  audits: string | null
}
