import { type SQL, sql } from 'drizzle-orm'
import { type Ctx, systemActor } from '../../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../../platform/access/permissions.js'
import type { Db } from '../../../platform/db/index.js'
import { workspacePools } from '../../leads/pools.service.js'
import { writeClaimLocks } from '../../leads/public-pool.service.js'
import {
  notifyReclaimed,
  type ReclaimNoun,
  type ReclaimOptions,
  reclaimInBatches,
} from '../../leads/reclaim.service.js'
import { getLeadSettings } from '../../leads/settings.service.js'
import { sqlArray } from '../../quality/bulk.js'
import { moveCustomers } from './moves.js'
import { CUSTOMER_LOCKS, customerPublicPool } from './public-pool.service.js'

/** Customers of no pool carry this key in the rule table. */
const NO_POOL = '00000000-0000-0000-0000-000000000000'

/** One rule: customers of `pool_id` held by people go back to public pool `target_id` after `nf` quiet days. */
interface Rule {
  pool_id: string
  target_id: string
  target_unit: string
  nf: number
  lock_days: number
  skip_open: boolean
}

const NOUN: ReclaimNoun = {
  subjectType: 'customer',
  label: '客户',
  counter: '个',
  link: (id) => `/customers/${id}`,
}

/** For every pool customers can come from (and none), the public pool they return to when its reclaim is on. */
async function rules(ctx: Ctx): Promise<Rule[]> {
  const pools = await workspacePools(ctx)
  const settings = await getLeadSettings(ctx)
  const out: Rule[] = []
  for (const source of [...pools.map((p) => p.id), null]) {
    const target = customerPublicPool(source, pools, settings)
    const r = target?.settings.reclaim
    if (!target || !r?.enabled || r.noFollowUpDays == null) continue
    out.push({
      pool_id: source ?? NO_POOL,
      target_id: target.id,
      target_unit: target.unitId,
      nf: r.noFollowUpDays,
      lock_days: target.settings.reclaimLockDays ?? 0,
      skip_open: !!r.skipWithOpenOpportunities,
    })
  }
  return out
}

/**
 * The customers due under `list` at `at`: held by someone, active, nobody followed them up within
 * N days of max(assigned, last follow-up), no order (other than cancelled) within those N days,
 * and — when the pool says so — no open opportunity.
 */
function due(tenantId: string, list: Rule[], at: SQL, only?: string[]) {
  return sql`with rules as (select * from jsonb_to_recordset(${JSON.stringify(list)}::jsonb)
      as r(pool_id uuid, target_id uuid, target_unit uuid, nf int, lock_days int, skip_open boolean))
    select c.id, c.name, c.owner_id, r.target_id, r.target_unit, r.nf, r.lock_days
      from customers c join rules r on r.pool_id = coalesce(c.pool_id, ${NO_POOL}::uuid)
     where c.tenant_id = ${tenantId}::uuid and c.owner_id is not null and c.status = 'active'
       ${only ? sql`and c.id = any(${sqlArray(only, 'uuid')})` : sql``}
       and coalesce(greatest(c.assigned_at, c.last_follow_up_at), c.created_at) + make_interval(days => r.nf) <= ${at}
       and not exists (select 1 from orders o where o.tenant_id = c.tenant_id and o.customer_id = c.id
                          and o.status <> 'cancelled' and o.ordered_at > ${at} - make_interval(days => r.nf))
       and not (r.skip_open and exists (select 1 from opportunities op where op.tenant_id = c.tenant_id
                          and op.customer_id = c.id and op.status = 'open'))
     order by c.id`
}

type DueRow = {
  id: string
  name: string
  owner_id: string
  target_id: string
  target_unit: string
  nf: number
  lock_days: number
}

/**
 * Automatic reclaim of customers into the public pools (the leads' rules: the pool's
 * reclaim.noFollowUpDays, lock days, notifications), per workspace, in batches. Each batch runs
 * in its own transaction through moveCustomers (audit 'reclaim', contacts follow) and writes the
 * previous owners' claim locks. Running it again changes nothing more.
 */
export async function reclaimCustomers(
  db: Db,
  tenantId: string,
  now = new Date(),
  opts: ReclaimOptions = {},
) {
  const ctx: Ctx = { db, actor: systemActor(tenantId, ALL_PERMISSIONS), locale: 'zh-CN' }
  const list = await rules(ctx)
  const result = { candidates: 0, reclaimed: 0, notified: 0, batches: 0 }
  if (!list.length) return result
  const at = sql`${now.toISOString()}::timestamptz`
  const ids = (await db.execute<DueRow>(due(tenantId, list, at))).rows.map((r) => r.id)
  result.candidates = ids.length
  const run = await reclaimInBatches(ids, opts, (batch) =>
    db.transaction(async (tx) => {
      const txCtx: Ctx = { ...ctx, db: tx, inTx: true }
      // Still due now (a follow-up or an order may have come in since).
      const rows = (await tx.execute<DueRow>(due(tenantId, list, at, batch))).rows
      const byTarget = new Map<string, DueRow[]>()
      for (const r of rows) byTarget.set(r.target_id, [...(byTarget.get(r.target_id) ?? []), r])
      for (const group of byTarget.values()) {
        const first = group[0]!
        await moveCustomers(
          txCtx,
          group.map((r) => r.id),
          { poolId: first.target_id, ownerId: null, unitId: first.target_unit },
          { kind: 'reclaim', reason: `${first.nf} 天未跟进，自动收回公海` },
        )
        await writeClaimLocks(
          txCtx,
          CUSTOMER_LOCKS,
          group.map((r) => ({ id: r.id, userId: r.owner_id })),
          first.lock_days,
        )
      }
      return rows
    }),
  )
  result.batches = run.batches
  result.reclaimed = run.reclaimed
  result.notified = await notifyReclaimed(ctx, run.state, now, NOUN)
  return result
}
