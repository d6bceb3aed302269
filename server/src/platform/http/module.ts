import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Config } from '../config.js'
import type { Database } from '../db/index.js'

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>

export interface AppDeps {
  config: Config
  database: Database
}

/** A capability plugged into the server: its routes (and later its consumers and jobs). */
export interface HainaModule {
  name: string
  routes?(app: App, deps: AppDeps): void | Promise<void>
}
