import { z } from 'zod'
import { ctxOf } from '../../../platform/http/context.js'
import { listQuerySchema } from '../../../platform/http/list-query.js'
import type { App } from '../../../platform/http/module.js'
import { claimResultSchema } from '../../leads/public-pool.service.js'
import {
  assignCustomers,
  claimCustomer,
  claimCustomers,
  listPoolCustomers,
  releaseCustomers,
} from './public-pool.service.js'
import { type CustomerOut, customerOut, idParams } from './schemas.js'
import { presentCustomers } from './service.js'

const tags = ['customers', 'public pool']
const ids = z.array(z.string().uuid()).min(1).max(200)

export function registerCustomerPoolRoutes(app: App) {
  app.get(
    '/api/v1/public-pools/:id/customers',
    {
      config: { permission: 'customers.view' },
      schema: {
        tags,
        summary:
          'Unclaimed customers of a public pool open to the caller (the lead pools’ rules): hidden fields are null and not filterable, claimableAt ends the protection interval (null: now), lockedUntil is the caller’s own lock',
        params: idParams,
        querystring: listQuerySchema.extend({ q: z.string().trim().max(100).optional() }),
        response: {
          200: z.object({
            items: z.array(
              customerOut.extend({ claimableAt: z.date().nullable(), lockedUntil: z.date().nullable() }),
            ),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (req) =>
      (await listPoolCustomers(ctxOf(req), req.params.id, req.query)) as {
        items: (CustomerOut & { claimableAt: Date | null; lockedUntil: Date | null })[]
        nextCursor: string | null
      },
  )
  app.post(
    '/api/v1/customers/:id/claim',
    {
      config: { permission: 'customers.edit' },
      schema: {
        tags,
        summary:
          'Claim a customer of a public pool. 409 codes: already_claimed, claim_protected, claim_locked, claim_daily_limit, claim_holding_cap, claim_unit_cap (params.limit / params.until)',
        params: idParams,
        response: { 200: customerOut },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const row = await claimCustomer(ctx, req.params.id)
      return (await presentCustomers(ctx, [row]))[0] as CustomerOut
    },
  )
  app.post(
    '/api/v1/customers/claim',
    {
      config: { permission: 'customers.edit' },
      schema: {
        tags,
        summary:
          'Claim several customers, one by one in the order given: each answered ok or with its refusal code',
        body: z.object({ ids }),
        response: { 200: z.object({ results: z.array(claimResultSchema) }) },
      },
    },
    async (req) => ({ results: await claimCustomers(ctxOf(req), req.body.ids) }),
  )
  app.post(
    '/api/v1/customers/:id/release',
    {
      config: { permission: 'customers.edit' },
      schema: {
        tags,
        summary:
          'Release a customer to a public pool with a reason: the given pool, else the one it was claimed from, else the default public pool (400 no_public_pool when there is none). Its contacts follow; the previous owner is locked out for the pool’s reclaimLockDays',
        params: idParams,
        body: z.object({
          reason: z.string().trim().min(1).max(200),
          poolId: z.string().uuid().nullable().optional(),
        }),
        response: { 200: z.object({ released: z.number(), poolIds: z.array(z.string()) }) },
      },
    },
    async (req) => releaseCustomers(ctxOf(req), [req.params.id], req.body.reason, req.body.poolId),
  )
  app.post(
    '/api/v1/customers/assign',
    {
      config: { permission: 'customers.assign' },
      schema: {
        tags,
        summary: 'Give customers of your scope to another person (inside your scope); their contacts follow',
        body: z.object({ ids, ownerId: z.string().uuid() }),
        response: { 200: z.object({ assigned: z.number() }) },
      },
    },
    async (req) => ({ assigned: await assignCustomers(ctxOf(req), req.body.ids, req.body.ownerId) }),
  )
}
