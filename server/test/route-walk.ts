/// <reference types="vite/client" />
import type { RouteInfo } from '../src/platform/http/app.js'
import type { RouteSample } from './route-samples/types.js'

/** Every route sample of every area, keyed by 'METHOD /url'. */
export function allSamples(): Map<string, RouteSample> {
  const files = import.meta.glob<{ samples?: RouteSample[] }>('./route-samples/*.ts', { eager: true })
  const map = new Map<string, RouteSample>()
  for (const mod of Object.values(files)) for (const s of mod.samples ?? []) map.set(s.route, s)
  return map
}

export const isMutation = (r: RouteInfo) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)
export const hasParams = (r: RouteInfo) => r.url.includes(':')
/** ROUTE_WALK_ONLY=/api/v1/customers,/api/v1/contacts limits the generated walks to those prefixes (while working on them). */
const only = process.env.ROUTE_WALK_ONLY?.split(',').filter(Boolean)
export const apiRoutes = (routes: RouteInfo[]) =>
  routes.filter((r) => r.url.startsWith('/api/v1/') && (!only || only.some((p) => r.url.startsWith(p))))
export const key = (r: RouteInfo) => `${r.method} ${r.url}`
export const fill = (url: string, params: Record<string, string> = {}) =>
  url.replace(/:(\w+)/g, (_, p: string) => params[p] ?? `missing-${p}`)
