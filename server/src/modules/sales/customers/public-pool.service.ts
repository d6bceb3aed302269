import { and, eq, sql } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../../platform/access/actor.js'
import type { Repository } from '../../../platform/access/data-access.js'
import { auditLog } from '../../../platform/audit/schema.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { type FieldError, validationFailed } from '../../../platform/http/errors.js'
import { buildListQuery, type ListQuery, parseFilter } from '../../../platform/http/list-query.js'
import { placeRecord } from '../../../platform/org/placement.js'
import type { Pool } from '../../leads/pools.service.js'
import {
  type ClaimLockTable,
  claimablePool,
  claimEach,
  claimRecord,
  lockedInScope,
  type PoolSubject,
  releaseTargets,
  unhiddenColumns,
  waitingInPool,
  writeClaimLocks,
} from '../../leads/public-pool.service.js'
import type { LeadSettings } from '../../leads/settings.service.js'
import { CUSTOMER_FILTERS, customerSearch } from './list.js'
import './messages.js'
import { moveCustomers } from './moves.js'
import { customersRepo } from './repo.js'
import { customerClaimLocks, customers } from './schema.js'
import { customerColumns } from './schemas.js'
import { presentCustomers } from './service.js'

type Row = Record<string, unknown>

export const CUSTOMER_LOCKS: ClaimLockTable = {
  table: customerClaimLocks,
  tenantId: customerClaimLocks.tenantId,
  subjectId: customerClaimLocks.customerId,
  userId: customerClaimLocks.userId,
  until: customerClaimLocks.until,
}

const REPO = customersRepo as unknown as Repository<PgTable>
/**
 * Customers under the public-pool rules of leads. Customers have no history table of their own:
 * today's claims are counted from the audit log (action 'claim' on a customer, from this pool).
 * Holding caps count the active customers a person (or the claimer's unit) owns.
 */
const CUSTOMER_SUBJECT: PoolSubject = {
  lockKey: 'customer-claim',
  table: customers,
  tenantId: customers.tenantId,
  id: customers.id,
  ownerId: customers.ownerId,
  open: eq(customers.status, 'active'),
  locks: CUSTOMER_LOCKS,
  claims: (ctx, poolId) => ({
    table: auditLog,
    at: auditLog.at,
    where: sql`${auditLog.tenantId} = ${ctx.actor.tenantId} and ${auditLog.action} = 'claim'
      and ${auditLog.objectType} = 'customer' and ${auditLog.actorId} = ${ctx.actor.id}
      and ${auditLog.before} ->> 'poolId' = ${poolId}`,
  }),
}

/**
 * Claims one customer waiting in a public pool the caller works in, in its own transaction, with
 * the same rules and order of locks as a lead claim (claimer, unit, then the customer row): two
 * people claiming one customer — exactly one wins, the other gets 409 already_claimed. The claimer
 * becomes the owner, the customer moves to their unit, and its contacts follow.
 */
export const claimCustomer = (ctx: Ctx, id: string): Promise<Row> =>
  claimRecord(ctx, CUSTOMER_SUBJECT, id, async (tx, userId) => {
    await moveCustomers(tx, [id], { ownerId: userId }, { kind: 'claim' })
    return customersRepo.get(tx, id, { raw: true })
  })

/** Claims several customers one by one: each answered ok or with its refusal code. */
export const claimCustomers = (ctx: Ctx, ids: string[]) => claimEach(ids, (id) => claimCustomer(ctx, id))

/**
 * The public pool a customer leaving its owner goes to: the public pool it was claimed from, else
 * the workspace's default public pool (lead settings), else the first public pool.
 */
export function customerPublicPool(
  poolId: string | null,
  pools: Pool[],
  settings: Pick<LeadSettings, 'defaultPublicPoolId'>,
): Pool | undefined {
  const usable = (id: string | null | undefined) =>
    pools.find((p) => p.id === id && p.kind === 'public' && p.enabled)
  return (
    usable(poolId) ??
    usable(settings.defaultPublicPoolId) ??
    pools.find((p) => p.kind === 'public' && p.enabled)
  )
}

/**
 * Releases customers of the caller's scope to a public pool with a reason: `poolId` when given,
 * else each one's own (customerPublicPool). They lose their owner, move to the pool's unit (with
 * their contacts), and the previous owner may not re-claim them for the pool's reclaimLockDays.
 */
export async function releaseCustomers(
  ctx: Ctx,
  ids: string[],
  reason: string,
  poolId?: string | null,
): Promise<{ released: number; poolIds: string[] }> {
  return inTransaction(ctx, async (tx) => {
    const found = await lockedInScope(tx, REPO, ids)
    const groups = await releaseTargets(tx, found, poolId, customerPublicPool)
    for (const { pool, rows } of groups) {
      await moveCustomers(
        tx,
        rows.map((c) => c.id as string),
        { poolId: pool.id, ownerId: null, unitId: pool.unitId },
        { kind: 'release', reason },
      )
      const owners = rows.filter((c) => c.ownerId)
      await writeClaimLocks(
        tx,
        CUSTOMER_LOCKS,
        owners.map((c) => ({ id: c.id as string, userId: c.ownerId as string })),
        pool.settings.reclaimLockDays ?? 0,
      )
    }
    return { released: found.length, poolIds: groups.map((g) => g.pool.id) }
  })
}

/**
 * Gives customers of the caller's scope to another person (customers.assign): inside the caller's
 * scope, the customers move to the new owner's unit and their contacts follow.
 */
export async function assignCustomers(ctx: Ctx, ids: string[], ownerId: string): Promise<number> {
  return inTransaction(ctx, async (tx) => {
    const found = await lockedInScope(tx, REPO, ids)
    const errors: FieldError[] = []
    const place = await placeRecord(tx, ownerId, undefined, errors, '')
    if (!place) throw validationFailed(errors)
    const moved = await moveCustomers(
      tx,
      found.map((c) => c.id as string),
      { ownerId, unitId: place.unitId },
      { kind: 'assign' },
    )
    return moved.length
  })
}

/** Fields of customers a pool hides when it hides lead contact data: `mobile` is a customer's `phone`. */
export function customerHiddenFields(pool: Pool): string[] {
  const hidden = pool.settings.hiddenFields ?? []
  return hidden.includes('mobile') && !hidden.includes('phone') ? [...hidden, 'phone'] : hidden
}

/** The pool as the customer list sees it: with the customer fields it hides. */
export const asCustomerPool = (pool: Pool): Pool => ({
  ...pool,
  settings: { ...pool.settings, hiddenFields: customerHiddenFields(pool) },
})

/**
 * GET /public-pools/:id/customers: the customers waiting in a public pool open to the caller, as the
 * API shows them. The fields the pool hides are null, and neither filterable (400 naming the
 * filter) nor searched by `q`; each says when it may be claimed and until when the caller may not.
 */
export async function listPoolCustomers(ctx: Ctx, poolId: string, query: ListQuery & { q?: string }) {
  const pool = asCustomerPool(await claimablePool(ctx, poolId))
  const hidden = new Set(pool.settings.hiddenFields)
  const search = (v: unknown) => customerSearch(String(v), hidden)
  const built = await buildListQuery(query, {
    columns: unhiddenColumns(pool, parseFilter(query.filter), POOL_FILTERS),
    sortable: ['createdAt', 'name', 'orderTotal'],
    object: 'customer',
    ctx,
    extra: { q: search },
  })
  const where = and(built.where, query.q ? search(query.q) : undefined)
  const page = await waitingInPool(
    ctx,
    { repo: REPO, poolId: customers.poolId, ownerId: customers.ownerId, locks: CUSTOMER_LOCKS },
    pool,
    { where, sort: built.sort, limit: query.limit, cursor: query.cursor },
    customerColumns,
  )
  const shown = await presentCustomers(ctx, page.items)
  const items = page.items.map(({ claimableAt, lockedUntil }, i) => ({
    ...shown[i]!,
    claimableAt,
    lockedUntil,
  }))
  return { items, nextCursor: page.nextCursor }
}

/** What a pool's list filters on: the customer list's fields and the contact fields a pool may hide. */
const POOL_FILTERS = {
  ...CUSTOMER_FILTERS,
  phone: customers.phone,
  email: customers.email,
  address: customers.address,
}
