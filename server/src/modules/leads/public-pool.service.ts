import { and, count, eq, getTableColumns, gt, gte, inArray, isNull, type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import { z } from 'zod'
import type { Ctx } from '../../platform/access/actor.js'
import { isUuid, type Repository } from '../../platform/access/data-access.js'
import { inTransaction } from '../../platform/db/tx.js'
import { AppError, badRequest, notFound, validationFailed } from '../../platform/http/errors.js'
import { users } from '../../platform/org/schema.js'
import { tenants } from '../../platform/tenancy/schema.js'
import { moveLeads, OPEN_STATUSES } from './moves.service.js'
import './pools.messages.js'
import { leadClaimLocks, leadMoves, type PublicPoolSettings } from './pools.schema.js'
import {
  type Pool,
  publicPoolFor,
  type VisiblePool,
  visiblePool,
  visiblePools,
  workspacePools,
} from './pools.service.js'
import { leads } from './schema.js'
import { leadsRepo } from './service.js'
import { getLeadSettings, type LeadSettings } from './settings.service.js'

type Row = Record<string, unknown>
const HOUR = 3_600_000
const DAY = 24 * HOUR

/** A public pool the caller may claim from (they see it), or 404. */
export async function claimablePool(ctx: Ctx, poolId: string): Promise<VisiblePool> {
  const pool = await visiblePool(ctx, poolId)
  if (pool.kind !== 'public' || !pool.enabled) throw notFound()
  return pool
}

/** When a lead that entered the pool at `enteredAt` may be claimed; null when it may be now. */
export function claimableAt(settings: PublicPoolSettings, enteredAt: unknown, now = Date.now()): Date | null {
  const hours = settings.protectionHours ?? 0
  if (!hours || !enteredAt) return null
  const at = new Date(new Date(enteredAt as string).getTime() + hours * HOUR)
  return at.getTime() > now ? at : null
}

/** Nulls the fields the pool hides (contact data, custom fields) while a lead waits in it. */
export function hideFields(row: Row, hidden: string[]): Row {
  if (!hidden.length) return row
  const out: Row = { ...row, custom: { ...(row.custom as Row) } }
  for (const f of hidden) {
    if (f.startsWith('custom.')) (out.custom as Row)[f.slice('custom.'.length)] = null
    else if (f in out) out[f] = null
  }
  return out
}

/**
 * A claim-lock table (lead_claim_locks, customer_claim_locks): the previous owner of a record may
 * not re-claim it until `until`. The rules are the same for every kind of record in a public pool.
 */
export interface ClaimLockTable {
  table: PgTable
  tenantId: AnyPgColumn
  /** The record's id column (leadId, customerId). */
  subjectId: AnyPgColumn
  userId: AnyPgColumn
  until: AnyPgColumn
}

/** The claim locks of the caller on these records that still hold, by record id. */
export async function activeLocks(ctx: Ctx, t: ClaimLockTable, ids: string[]): Promise<Map<string, Date>> {
  if (!ids.length || !ctx.actor.id) return new Map()
  const rows = (await ctx.db
    .select({ id: t.subjectId, until: t.until })
    .from(t.table)
    .where(
      and(
        eq(t.tenantId, ctx.actor.tenantId),
        eq(t.userId, ctx.actor.id),
        inArray(t.subjectId, ids),
        gt(t.until, new Date()),
      ),
    )) as { id: string; until: Date }[]
  return new Map(rows.map((r) => [r.id, r.until]))
}

/** Writes (or extends) claim locks: each previous owner may not re-claim their record for `days`. */
export async function writeClaimLocks(
  ctx: Ctx,
  t: ClaimLockTable,
  pairs: { id: string; userId: string }[],
  days: number,
): Promise<void> {
  if (!pairs.length || days <= 0) return
  const until = new Date(Date.now() + days * DAY)
  const subject = Object.entries(getTableColumns(t.table)).find(([, c]) => c === t.subjectId)![0]
  // biome-ignore lint/suspicious/noExplicitAny: the lock table is one of several, typed by its columns
  await (ctx.db as any)
    .insert(t.table)
    .values(pairs.map((p) => ({ tenantId: ctx.actor.tenantId, [subject]: p.id, userId: p.userId, until })))
    .onConflictDoUpdate({
      target: [t.tenantId, t.subjectId, t.userId],
      set: { until: sql`greatest(${t.until}, excluded.until)` },
    })
}

const LEAD_LOCKS: ClaimLockTable = {
  table: leadClaimLocks,
  tenantId: leadClaimLocks.tenantId,
  subjectId: leadClaimLocks.leadId,
  userId: leadClaimLocks.userId,
  until: leadClaimLocks.until,
}

/** The caller's own claim locks on these leads that still hold. */
export const myLocks = (ctx: Ctx, leadIds: string[]) => activeLocks(ctx, LEAD_LOCKS, leadIds)

/**
 * A page of the records waiting in a public pool (no owner), whatever their kind. Not the caller's
 * data scope but the pool decides who sees them: its members claim from it. Fields the pool hides
 * are null; each row says when it may be claimed and until when the caller is locked out of it.
 */
export async function waitingInPool(
  ctx: Ctx,
  kind: { repo: Repository<PgTable>; poolId: AnyPgColumn; ownerId: AnyPgColumn; locks: ClaimLockTable },
  pool: Pool,
  opts: PoolPageOptions,
  columns: readonly string[],
  hidden: string[] = pool.settings.hiddenFields ?? [],
) {
  const page = await kind.repo.list(ctx, {
    ...opts,
    where: and(eq(kind.poolId, pool.id), isNull(kind.ownerId), opts.where),
    columns: [...columns, 'poolEnteredAt'],
    bypassScope: true,
  })
  const locks = await activeLocks(
    ctx,
    kind.locks,
    page.items.map((l) => l.id as string),
  )
  const now = Date.now()
  return {
    items: page.items.map((l) => ({
      ...hideFields(l, hidden),
      claimableAt: claimableAt(pool.settings, l.poolEnteredAt, now),
      lockedUntil: locks.get(l.id as string) ?? null,
    })),
    nextCursor: page.nextCursor,
  }
}

export interface PoolPageOptions {
  where?: SQL
  sort?: { column: string; dir: 'asc' | 'desc' }
  limit?: number
  cursor?: string
}

/**
 * A list's filterable columns without the fields the pool hides; filtering on a hidden field is a
 * 400 naming it, as if it did not exist.
 */
export function unhiddenColumns<C>(
  pool: Pool,
  filter: Record<string, unknown>,
  columns: Record<string, C>,
): Record<string, C> {
  const hidden = new Set(pool.settings.hiddenFields ?? [])
  const asked = Object.keys(filter).filter((f) => hidden.has(f))
  if (asked.length)
    throw validationFailed(asked.map((f) => ({ field: `filter.${f}`, code: 'unknown_filter_field' })))
  return Object.fromEntries(Object.entries(columns).filter(([k]) => !hidden.has(k)))
}

/**
 * The leads waiting in a public pool (no owner). Not the caller's data scope but the pool decides
 * who sees them: its members claim from it. `where` is the caller's filter, built without the
 * fields the pool hides.
 */
export async function publicPoolLeads(
  ctx: Ctx,
  pool: Pool,
  opts: PoolPageOptions,
  columns: readonly string[],
) {
  return waitingInPool(
    ctx,
    {
      repo: leadsRepo as unknown as Repository<PgTable>,
      poolId: leads.poolId,
      ownerId: leads.ownerId,
      locks: LEAD_LOCKS,
    },
    pool,
    opts,
    columns,
  )
}

/** The start of today in the workspace's time zone (daily claim limits count from here). */
export const startOfToday = (tenantId: string) =>
  sql`(date_trunc('day', now() at time zone (select ${tenants.timezone} from ${tenants} where ${tenants.id} = ${tenantId})) at time zone (select ${tenants.timezone} from ${tenants} where ${tenants.id} = ${tenantId}))`

/** Serialises claims per key for the rest of the transaction (counts are read after it). */
const advisoryLock = (ctx: Ctx, key: string) =>
  ctx.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`)

/** A refused claim: 409 with the rule's code; its values (limit, until) also as `params` in the body. */
export const refused = (code: string, params: Record<string, unknown> = {}) =>
  new AppError(409, code, params, [], { params })
const limitHit = (code: string, limit: number) => refused(code, { limit })

/** The caller as a claimer: a user with a unit (API keys and the system do not claim). */
export function claimer(ctx: Ctx): { id: string; unitId: string; tenantId: string } {
  const me = ctx.actor
  if (me.type !== 'user' || !me.id || !me.unitId) throw badRequest('invalid_user')
  return { id: me.id, unitId: me.unitId, tenantId: me.tenantId }
}

/**
 * One kind of record in the public pools (leads, customers): the pool settings, limits and
 * refusals are the same, the counts come from each kind's own tables.
 */
export interface PoolSubject {
  /** Advisory-lock namespace of this kind's claims ('lead-claim'). */
  lockKey: string
  /** The records' table and its tenant, id and owner columns. */
  table: PgTable
  tenantId: AnyPgColumn
  id: AnyPgColumn
  ownerId: AnyPgColumn
  /** Which of them a holding cap counts (open leads, active customers). */
  open: SQL
  locks: ClaimLockTable
  /** Where the caller's claims from `poolId` are recorded, with their time (lead_moves, the audit log). */
  claims(ctx: Ctx, poolId: string): { table: PgTable; at: AnyPgColumn; where: SQL }
}

const countRows = async (ctx: Ctx, table: PgTable, where: SQL | undefined) =>
  Number((await ctx.db.select({ n: count() }).from(table).where(where))[0]?.n ?? 0)

/** Claims the caller made from `poolId` since `since`. */
function claimedSince(ctx: Ctx, subject: PoolSubject, poolId: string, since: SQL) {
  const c = subject.claims(ctx, poolId)
  return countRows(ctx, c.table, and(c.where, gte(c.at, since)))
}

/** Open records whose owner passes `owners` (the claimer, or the people of their unit). */
const heldBy = (ctx: Ctx, s: PoolSubject, owners: (ownerId: AnyPgColumn) => SQL) =>
  countRows(ctx, s.table, and(eq(s.tenantId, ctx.actor.tenantId), owners(s.ownerId), s.open))

/**
 * Takes, in this order, an advisory lock on the claimer and on their unit: two claims of one
 * person (or one department) are counted one after the other. Call first in the claim's
 * transaction, before locking the record.
 */
export async function lockClaimer(ctx: Ctx, subject: PoolSubject): Promise<void> {
  const me = claimer(ctx)
  await advisoryLock(ctx, `${subject.lockKey}:user:${me.tenantId}:${me.id}`)
  await advisoryLock(ctx, `${subject.lockKey}:unit:${me.tenantId}:${me.unitId}`)
}

/** The enabled public pool the caller works in that holds a record (404 otherwise). */
export async function claimPoolOf(ctx: Ctx, poolId: string | null | undefined): Promise<VisiblePool> {
  if (!poolId) throw notFound()
  return claimablePool(ctx, poolId)
}

/**
 * The pool's claim rules for one record (locked by the caller) waiting in it, in order:
 * already_claimed, claim_protected, claim_locked, claim_daily_limit, claim_holding_cap,
 * claim_unit_cap — the first one broken is thrown as a 409.
 */
export async function checkClaimRules(
  ctx: Ctx,
  subject: PoolSubject,
  pool: Pool,
  row: { id: string; ownerId: unknown; poolEnteredAt: unknown },
): Promise<void> {
  const me = claimer(ctx)
  if (row.ownerId) throw refused('already_claimed')
  const s = pool.settings
  const protectedUntil = claimableAt(s, row.poolEnteredAt)
  if (protectedUntil) throw refused('claim_protected', { until: protectedUntil.toISOString() })
  const lock = (await activeLocks(ctx, subject.locks, [row.id])).get(row.id)
  if (lock) throw refused('claim_locked', { until: lock.toISOString() })
  if (s.dailyClaimLimit != null) {
    const n = await claimedSince(ctx, subject, pool.id, startOfToday(me.tenantId))
    if (n >= s.dailyClaimLimit) throw limitHit('claim_daily_limit', s.dailyClaimLimit)
  }
  if (s.userHoldingCap != null) {
    const n = await heldBy(ctx, subject, (owner) => eq(owner, me.id))
    if (n >= s.userHoldingCap) throw limitHit('claim_holding_cap', s.userHoldingCap)
  }
  if (s.unitHoldingCap != null) {
    const people = ctx.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.tenantId, me.tenantId), eq(users.unitId, me.unitId)))
    const n = await heldBy(ctx, subject, (owner) => inArray(owner, people))
    if (n >= s.unitHoldingCap) throw limitHit('claim_unit_cap', s.unitHoldingCap)
  }
}

const LEAD_SUBJECT: PoolSubject = {
  lockKey: 'lead-claim',
  table: leads,
  tenantId: leads.tenantId,
  id: leads.id,
  ownerId: leads.ownerId,
  open: inArray(leads.status, [...OPEN_STATUSES]),
  locks: LEAD_LOCKS,
  claims: (ctx, poolId) => ({
    table: leadMoves,
    at: leadMoves.at,
    where: and(
      eq(leadMoves.tenantId, ctx.actor.tenantId),
      eq(leadMoves.kind, 'claim'),
      eq(leadMoves.actorId, ctx.actor.id!),
      eq(leadMoves.fromPoolId, poolId),
    )!,
  }),
}

/**
 * Claims one lead of a public pool for the caller. Runs in its own transaction and holds, in
 * this order, an advisory lock on the claimer and on their unit, then the lead row: two claims of
 * one person (or one department) are counted one after the other, and two people claiming the
 * same lead find it claimed when the first commits. Refusals are 409 with a code naming the rule:
 * already_claimed, claim_protected, claim_locked, claim_daily_limit, claim_holding_cap, claim_unit_cap.
 */
export async function claimLead(ctx: Ctx, leadId: string): Promise<Row> {
  return claimRecord(ctx, LEAD_SUBJECT, leadId, async (tx, userId) => {
    await moveLeads(tx, [leadId], { ownerId: userId }, { kind: 'claim' })
    return leadsRepo.get(tx, leadId, { raw: true })
  })
}

/**
 * A claim of any kind of record in its own transaction: the claimer's advisory locks, then the
 * record's row lock, its pool (404 unless a public pool the caller works in), the pool's rules,
 * and finally `take` — which makes the caller its owner and answers the record.
 */
export async function claimRecord(
  ctx: Ctx,
  subject: PoolSubject,
  id: string,
  take: (tx: Ctx, userId: string) => Promise<Row>,
): Promise<Row> {
  const me = claimer(ctx)
  if (!isUuid(id)) throw notFound()
  return inTransaction(ctx, async (tx) => {
    await lockClaimer(tx, subject)
    const [row] = (await tx.db
      .select()
      .from(subject.table)
      .where(and(eq(subject.tenantId, tx.actor.tenantId), eq(subject.id, id)))
      .for('update')) as Row[]
    if (!row) throw notFound()
    const pool = await claimPoolOf(tx, row.poolId as string | null)
    await checkClaimRules(tx, subject, pool, { id, ownerId: row.ownerId, poolEnteredAt: row.poolEnteredAt })
    return take(tx, me.id)
  })
}

/** One answer of a bulk claim: ok, or the refusal's code and params. */
export const claimResultSchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  code: z.string().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
})
export type ClaimResult = z.infer<typeof claimResultSchema>

/** Claims several records, each on its own (a refusal does not undo the others), in the order given. */
export async function claimEach(
  ids: string[],
  claimOne: (id: string) => Promise<unknown>,
): Promise<ClaimResult[]> {
  const out: ClaimResult[] = []
  for (const id of [...new Set(ids)]) {
    try {
      await claimOne(id)
      out.push({ id, ok: true })
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err
      out.push({
        id,
        ok: false,
        code: err.code,
        ...(Object.keys(err.params).length ? { params: err.params } : {}),
      })
    }
  }
  return out
}

/** Claims several leads, each on its own (a refusal does not undo the others), in the order given. */
export const claimLeads = (ctx: Ctx, ids: string[]) => claimEach(ids, (id) => claimLead(ctx, id))

/** The public pool a release names (`poolId`): one the caller sees, public and enabled, else 400 naming poolId. */
export async function chosenPublicPool(ctx: Ctx, poolId: string): Promise<Pool> {
  const chosen = (await visiblePools(ctx)).find((p) => p.id === poolId)
  if (!chosen) throw validationFailed([{ field: 'poolId', code: 'invalid_pool' }])
  if (chosen.kind !== 'public' || !chosen.enabled)
    throw validationFailed([{ field: 'poolId', code: 'not_public_pool' }])
  return chosen
}

/**
 * Releases leads of the caller's scope to a public pool with a reason: `poolId` when given (a
 * public pool the caller sees), else each lead's own public pool (publicPoolFor). The previous
 * owner is locked out of re-claiming for the target pool's reclaimLockDays.
 */
export async function releaseLeads(
  ctx: Ctx,
  ids: string[],
  reason: string,
  poolId?: string | null,
): Promise<{ released: number; poolIds: string[] }> {
  return inTransaction(ctx, async (tx) => {
    const found = await lockedInScope(tx, leadsRepo as unknown as Repository<PgTable>, ids)
    const groups = await releaseTargets(tx, found, poolId, publicPoolFor)
    for (const { pool, rows } of groups) {
      await moveLeads(
        tx,
        rows.map((l) => l.id as string),
        { poolId: pool.id, ownerId: null, unitId: pool.unitId },
        { kind: 'release', reason },
      )
      await lockPreviousOwners(
        tx,
        rows.filter((l) => l.ownerId).map((l) => ({ leadId: l.id as string, userId: l.ownerId as string })),
        pool.settings.reclaimLockDays ?? 0,
      )
    }
    return { released: found.length, poolIds: groups.map((g) => g.pool.id) }
  })
}

/** Records of the caller's scope, locked, all of them or 404 (bulk actions on a selection). */
export async function lockedInScope(ctx: Ctx, repo: Repository<PgTable>, ids: string[]): Promise<Row[]> {
  const unique = [...new Set(ids)]
  if (!unique.every(isUuid)) throw notFound()
  const found = await repo.findMany(ctx, unique, { raw: true, forUpdate: true })
  if (found.length !== unique.length) throw notFound()
  return found
}

/**
 * Records to release grouped by the public pool each goes to: `poolId` when given (a public pool
 * the caller sees), else each one's own (`targetOf` its pool, e.g. publicPoolFor); 400
 * no_public_pool when one has none.
 */
export async function releaseTargets(
  ctx: Ctx,
  rows: Row[],
  poolId: string | null | undefined,
  targetOf: (poolId: string | null, pools: Pool[], settings: LeadSettings) => Pool | undefined,
): Promise<{ pool: Pool; rows: Row[] }[]> {
  const chosen = poolId ? await chosenPublicPool(ctx, poolId) : undefined
  const pools = chosen ? [] : await workspacePools(ctx)
  const settings = chosen ? null : await getLeadSettings(ctx)
  const groups = new Map<string, { pool: Pool; rows: Row[] }>()
  for (const row of rows) {
    const target = chosen ?? targetOf(row.poolId as string | null, pools, settings!)
    if (!target) throw badRequest('no_public_pool')
    const g = groups.get(target.id) ?? { pool: target, rows: [] }
    g.rows.push(row)
    groups.set(target.id, g)
  }
  return [...groups.values()]
}

/** Writes (or extends) claim locks: the previous owner may not re-claim for `days`. */
export const lockPreviousOwners = (ctx: Ctx, pairs: { leadId: string; userId: string }[], days: number) =>
  writeClaimLocks(
    ctx,
    LEAD_LOCKS,
    pairs.map((p) => ({ id: p.leadId, userId: p.userId })),
    days,
  )
