import { existsSync } from 'node:fs'
import fastifyStatic from '@fastify/static'
import { PUBLIC } from '../access/permissions.js'
import { AppError } from './errors.js'
import type { HainaModule } from './module.js'

/** Serves the built web app on the API's port; unknown non-API paths get index.html (client routes). */
export const webModule: HainaModule = {
  name: 'web',
  async routes(app, deps) {
    const root = deps.config.webDist
    if (!existsSync(root)) return
    await app.register(fastifyStatic, { root, wildcard: false, maxAge: '1h' })
    app.get('/*', { config: { permission: PUBLIC }, schema: { hide: true } }, (req, reply) => {
      if (req.url.startsWith('/api/')) throw new AppError(404, 'not_found')
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    })
  },
}
