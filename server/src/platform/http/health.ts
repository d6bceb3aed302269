import { sql } from 'drizzle-orm'
import client from 'prom-client'
import { z } from 'zod'
import { PUBLIC } from '../access/permissions.js'
import type { HainaModule } from './module.js'

const registry = new client.Registry()
client.collectDefaultMetrics({ register: registry })
const httpDuration = new client.Histogram({
  name: 'haina_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
})

/** GET /api/health (checks the database) and Prometheus GET /metrics. */
export const healthModule: HainaModule = {
  name: 'health',
  routes(app, deps) {
    // One labelled child per method, route and status, looked up by a string key (prom-client would
    // hash the label object on every observation).
    const children = new Map<string, { observe(value: number): void }>()
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unknown'
      const key = `${req.method} ${reply.statusCode} ${route}`
      let child = children.get(key)
      if (!child) {
        child = httpDuration.labels({ method: req.method, route, status: String(reply.statusCode) })
        children.set(key, child)
      }
      child.observe(reply.elapsedTime / 1000)
    })
    app.get(
      '/api/health',
      {
        config: { permission: PUBLIC },
        schema: {
          tags: ['platform'],
          summary: 'Liveness and database check',
          response: {
            200: z.object({ status: z.literal('ok'), database: z.string(), latencyMs: z.number() }),
          },
        },
      },
      async () => {
        const started = performance.now()
        await deps.database.db.execute(sql`select 1`)
        return {
          status: 'ok' as const,
          database: deps.database.kind,
          latencyMs: Math.round(performance.now() - started),
        }
      },
    )
    app.get('/metrics', { config: { permission: PUBLIC }, schema: { hide: true } }, async (_req, reply) => {
      reply.type(registry.contentType)
      return registry.metrics()
    })
  },
}
