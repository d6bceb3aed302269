import compress from '@fastify/compress'
import cookie from '@fastify/cookie'
import helmet from '@fastify/helmet'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Fastify from 'fastify'
import { jsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from 'fastify-type-provider-zod'
import { type Actor, can } from '../access/actor.js'
import { AUTHENTICATED, PUBLIC } from '../access/permissions.js'
import { authenticate } from '../auth/authenticate.js'
import { AppError, forbidden, unauthenticated } from './errors.js'
import { localeOf, sendProblem, toAppError } from './problem.js'
import './context.js'
import { registerIdempotency } from './idempotency.js'
import type { App, AppDeps, HainaModule } from './module.js'
import { completeDocument, type RouteDoc } from './openapi.js'
import { createSerializerCompiler } from './serializer.js'

export type RouteInfo = RouteDoc

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      upgradeInsecureRequests: null,
    },
  },
}

/**
 * The security headers helmet sets with our policy (CSP, HSTS, frame and sniffing rules…), worked
 * out once at startup. The policy is the same for every response, and @fastify/helmet would
 * rebuild and re-validate it on each request.
 */
async function securityHeaders(): Promise<Record<string, string>> {
  const probe = async (withHelmet: boolean) => {
    const app = Fastify()
    if (withHelmet) await app.register(helmet, HELMET_OPTIONS)
    app.get('/', () => '')
    const res = await app.inject('/')
    await app.close()
    return res.headers
  }
  const plain = await probe(false)
  const secured = await probe(true)
  return Object.fromEntries(
    Object.entries(secured)
      .filter(([name]) => !(name in plain))
      .map(([name, value]) => [name, String(value)]),
  )
}

/**
 * Builds the Fastify app: errors as problem+json, OpenAPI, security headers, and the two
 * structural checks every request passes: authentication and the route's declared permission.
 */
export async function createApp(
  deps: AppDeps,
  modules: HainaModule[],
): Promise<{ app: App; routes: RouteInfo[] }> {
  const app = Fastify({
    logger: { level: deps.config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    bodyLimit: deps.config.bodyLimitBytes,
    genReqId: (req) => (req.headers['x-request-id'] as string) || crypto.randomUUID(),
    // A hop count is accepted at run time though the options' type leaves it out.
    trustProxy: deps.config.trustProxy as boolean | string,
    ajv: undefined,
  }).withTypeProvider() as unknown as App

  app.setValidatorCompiler(validatorCompiler)
  // fast-json-stringify from each zod response schema; under test also checked against zod's parse.
  app.setSerializerCompiler(createSerializerCompiler({ check: process.env.NODE_ENV === 'test' }))

  const routes: RouteInfo[] = []
  const undeclared: string[] = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    // Routes registered by plugins (the API docs UI, static web files) are public by decision.
    if (
      !route.url.startsWith('/api/v1') &&
      !(route.config as { permission?: string } | undefined)?.permission
    )
      route.config = { ...(route.config as object), permission: PUBLIC }
    const config = route.config as
      | { permission?: string; idempotent?: boolean; rateLimit?: unknown }
      | undefined
    const permission = config?.permission
    for (const method of methods) {
      if (method === 'HEAD') continue
      routes.push({
        method,
        url: route.url,
        permission,
        idempotent: !!config?.idempotent,
        rateLimited: !!config?.rateLimit,
      })
      if (!permission && route.url.startsWith('/api/v1')) undeclared.push(`${method} ${route.url}`)
    }
  })

  app.decorateRequest('actor', null)
  app.decorateRequest('authVia', null)
  app.decorateRequest('sessionId', null)
  app.decorateRequest('csrfToken', null)
  app.decorateRequest('dbCtx', null)

  app.setErrorHandler((err, req, reply) => {
    const appErr = toAppError(err, req.routeOptions?.bodyLimit)
    if (appErr.status >= 500) req.log.error({ err }, 'request failed')
    return sendProblem(reply, req, appErr)
  })
  app.setNotFoundHandler((req, reply) => sendProblem(reply, req, new AppError(404, 'not_found')))

  const headers = await securityHeaders()
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers)
    done()
  })
  await app.register(cookie)
  // Answers over 1 KB (lists, exports, the OpenAPI document) are gzipped for clients that accept it;
  // the web app's files come compressed from the build (see web.ts).
  await app.register(compress, { threshold: 1024, encodings: ['gzip', 'deflate'] })
  await app.register(rateLimit, { global: false })
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Haina CRM API',
        version: '1.0.0',
        description: 'REST API of Haina CRM. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'haina_sid' },
          apiKey: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    // The route schemas say what succeeds; completeDocument adds permissions, errors and groups.
    transformObject: (input) => completeDocument(jsonSchemaTransformObject(input), routes),
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } })
  app.get('/api/openapi.json', { config: { permission: PUBLIC }, schema: { hide: true } }, () =>
    app.swagger(),
  )

  // Authentication and authorization, for every /api route, before any handler runs.
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/v1')) return
    const permission = req.routeOptions.config.permission
    const auth = await authenticate(req, deps.database.db)
    if (auth) {
      req.actor = auth.actor
      req.authVia = auth.via
      req.sessionId = auth.sessionId
      req.csrfToken = auth.csrfToken
      req.dbCtx = {
        db: deps.database.db,
        actor: auth.actor,
        locale: localeOf(req),
        requestId: req.id,
        ip: req.ip,
      }
    }
    if (permission === PUBLIC) return
    if (!auth) throw unauthenticated()
    if (
      auth.via === 'session' &&
      !SAFE_METHODS.has(req.method) &&
      req.headers['x-csrf-token'] !== auth.csrfToken
    )
      throw new AppError(403, 'csrf_failed')
    if (permission !== AUTHENTICATED && !can(auth.actor as Actor, permission!)) throw forbidden(permission!)
  })
  registerIdempotency(app, deps)

  for (const mod of modules) await mod.routes?.(app, deps)
  await app.ready()
  if (undeclared.length) throw new Error(`Routes without a declared permission: ${undeclared.join(', ')}`)
  return { app, routes }
}
