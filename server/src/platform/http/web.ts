import { existsSync } from 'node:fs'
import fastifyStatic from '@fastify/static'
import { PUBLIC } from '../access/permissions.js'
import { AppError } from './errors.js'
import type { HainaModule } from './module.js'

/**
 * Serves the built web app on the API's port; unknown non-API paths get index.html (client routes).
 * The build names each file under assets/ by its content and writes .br and .gz copies: those are
 * sent as they are to browsers that accept them, and cached for a year (a new build has new names);
 * index.html is revalidated on every visit, so a deploy is picked up at once.
 */
export const webModule: HainaModule = {
  name: 'web',
  async routes(app, deps) {
    const root = deps.config.webDist
    if (!existsSync(root)) return
    await app.register(fastifyStatic, {
      root,
      wildcard: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders(res, path) {
        res.setHeader(
          'cache-control',
          /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
        )
      },
    })
    app.get('/*', { config: { permission: PUBLIC }, schema: { hide: true } }, (req, reply) => {
      if (req.url.startsWith('/api/')) throw new AppError(404, 'not_found')
      return reply.header('cache-control', 'no-cache').sendFile('index.html')
    })
  },
}
