import { type SQL, sql } from 'drizzle-orm'
import { type Ctx, systemActor } from '../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../platform/access/permissions.js'
import { newId } from '../../platform/db/columns.js'
import type { Db } from '../../platform/db/index.js'
import type { JobHandler } from '../../platform/jobs/queue.js'
import { type NotificationInput, notify } from '../../platform/notifications/service.js'
import { tenants } from '../../platform/tenancy/schema.js'
import { sqlArray } from '../quality/bulk.js'
import { OPEN_STATUSES } from './moves.service.js'
import { publicPoolFor, workspacePools } from './pools.service.js'
import { getLeadSettings } from './settings.service.js'

/** Leads without a pool belong to the master pool; in the rule table they carry this key. */
const NO_POOL = '00000000-0000-0000-0000-000000000000'
const BATCH = 5000

/** One row of the rule table: leads of `pool_id` held by people go back to public pool `target_id`. */
interface RuleRow {
  pool_id: string
  target_id: string
  target_unit: string
  target_org: string
  nf: number | null
  nf_grade: Record<string, number>
  nc: number | null
  remind: number | null
  lock_days: number
}

export interface ReclaimProgress {
  /** Reclaimed so far per previous owner: count and a few lead ids/names for the notification. */
  owners: Record<string, { n: number; leads: { id: string; name: string }[] }>
  reclaimed: number
}

export interface ReclaimOptions {
  batchSize?: number
  /** State of an interrupted run of the same tick (from the job's checkpoint). */
  resume?: ReclaimProgress | null
  /** Called after each batch with the state to resume from. */
  progress?(state: ReclaimProgress, done: number, total: number): Promise<void>
}

export interface ReclaimResult {
  candidates: number
  reclaimed: number
  reminded: number
  notified: number
  batches: number
}

/**
 * The rule table: for every pool (and the unpooled leads), the public pool its leads return to
 * (publicPoolFor) when that pool's automatic reclaim is on with at least one rule.
 */
async function ruleTable(ctx: Ctx): Promise<RuleRow[]> {
  const pools = await workspacePools(ctx)
  const settings = await getLeadSettings(ctx)
  const sources: (string | null)[] = [...pools.map((p) => p.id), null]
  const out: RuleRow[] = []
  for (const source of sources) {
    const target = publicPoolFor(source, pools, settings)
    const r = target?.settings.reclaim
    if (!target || !r?.enabled) continue
    const byGrade = r.noFollowUpDaysByGrade ?? {}
    if (r.noFollowUpDays == null && r.notConvertedDays == null && Object.keys(byGrade).length === 0) continue
    out.push({
      pool_id: source ?? NO_POOL,
      target_id: target.id,
      target_unit: target.unitId,
      target_org: target.orgId,
      nf: r.noFollowUpDays ?? null,
      nf_grade: byGrade,
      nc: r.notConvertedDays ?? null,
      remind: r.remindDaysBefore ?? null,
      lock_days: target.settings.reclaimLockDays ?? 0,
    })
  }
  return out
}

const RULE_COLUMNS =
  'pool_id uuid, target_id uuid, target_unit uuid, target_org uuid, nf int, nf_grade jsonb, nc int, remind int, lock_days int'
const ruleCte = (rules: RuleRow[]) =>
  sql`rules as (select * from jsonb_to_recordset(${JSON.stringify(rules)}::jsonb) as r(${sql.raw(RULE_COLUMNS)}))`

/** Days without follow-up allowed for lead `l` under rule `r`: the grade's own, else the pool's. */
const nfDays = sql`coalesce((r.nf_grade ->> l.grade)::int, r.nf)`
/** When `l` falls due under `r`: the earlier of the no-follow-up and the not-converted deadline. */
const deadline = sql`least(
  coalesce(greatest(l.assigned_at, l.last_follow_up_at), l.created_at) + make_interval(days => ${nfDays}),
  coalesce(l.assigned_at, l.created_at) + make_interval(days => r.nc))`
const held = (tenantId: string) => sql`l.tenant_id = ${tenantId}::uuid and l.owner_id is not null
  and l.status = any(${sqlArray([...OPEN_STATUSES], 'text')})`
const joinRules = sql`join rules r on r.pool_id = coalesce(l.pool_id, ${NO_POOL}::uuid)`

/**
 * Automatic reclaim (PL-3) of one workspace, set-based: leads held by people in pools whose public
 * pool has reclaim on go back to that public pool when nobody followed them up within N days of
 * max(assigned, last follow-up) (per grade) or they were not converted within M days of
 * assignment. One statement per batch moves the leads and writes their history (lead_moves),
 * audit entries and the previous owners' claim locks. Owners are told what they lost
 * ('reclaimed') and, N days before, what they are about to lose ('reclaim_soon', once per lead and
 * deadline). Running it again changes nothing more.
 */
export async function reclaimLeads(
  db: Db,
  tenantId: string,
  now = new Date(),
  opts: ReclaimOptions = {},
): Promise<ReclaimResult> {
  const ctx: Ctx = { db, actor: systemActor(tenantId, ALL_PERMISSIONS), locale: 'zh-CN' }
  const rules = await ruleTable(ctx)
  const result: ReclaimResult = { candidates: 0, reclaimed: 0, reminded: 0, notified: 0, batches: 0 }
  if (!rules.length) return result
  const at = sql`${now.toISOString()}::timestamptz`

  const due = await db.execute<{ id: string }>(sql`with ${ruleCte(rules)}
    select l.id from leads l ${joinRules} where ${held(tenantId)} and ${deadline} <= ${at} order by l.id`)
  const ids = due.rows.map((r) => r.id)
  result.candidates = ids.length
  const run = await reclaimInBatches(ids, opts, (batch) => reclaimBatch(db, tenantId, rules, batch, at))
  result.batches = run.batches
  result.reclaimed = run.reclaimed
  result.notified = await notifyReclaimed(ctx, run.state, now, LEAD_NOUN)
  result.reminded = await remindSoon(ctx, rules, at)
  return result
}

/**
 * Moves one batch: locks the leads that are still due (skipping any a person is working on right
 * now), moves them, and inserts their history, audit entries and claim locks, all in one statement.
 */
async function reclaimBatch(db: Db, tenantId: string, rules: RuleRow[], ids: string[], at: SQL) {
  const moveIds = ids.map(() => newId())
  const auditIds = ids.map(() => newId())
  const res = await db.execute<{ id: string; name: string; owner_id: string }>(sql`with ${ruleCte(rules)},
    pick as (
      select l.id, l.name, l.owner_id, l.pool_id, l.unit_id, l.org_id, l.status, r.target_id, r.target_unit,
             r.target_org, r.lock_days,
             case when coalesce(greatest(l.assigned_at, l.last_follow_up_at), l.created_at)
                         + make_interval(days => ${nfDays}) <= ${at}
                  then ${nfDays} || ' 天未跟进，自动收回公海'
                  else r.nc || ' 天未转化，自动收回公海' end as reason
        from leads l ${joinRules}
       where ${held(tenantId)} and l.id = any(${sqlArray(ids, 'uuid')}) and ${deadline} <= ${at}
       for update of l skip locked),
    moved as (
      update leads l
         set owner_id = null, pool_id = p.target_id, unit_id = p.target_unit, org_id = p.target_org,
             pool_entered_at = case when l.pool_id is distinct from p.target_id then ${at} else l.pool_entered_at end,
             assigned_at = null, first_contact_at = null, next_follow_up_at = null,
             status = case when l.status in ('assigned', 'following') then 'new' else l.status end,
             status_changed_at = case when l.status in ('assigned', 'following') then ${at} else l.status_changed_at end,
             updated_at = ${at}, version = l.version + 1
        from pick p
       where l.tenant_id = ${tenantId}::uuid and l.id = p.id
      returning l.id, l.status as to_status, p.name, p.owner_id, p.pool_id, p.unit_id, p.org_id, p.status,
                p.target_id, p.target_unit, p.target_org, p.lock_days, p.reason),
    numbered as (select m.*, row_number() over (order by m.id) as rn from moved m),
    new_ids as (
      select * from unnest(${sqlArray(moveIds, 'uuid')}, ${sqlArray(auditIds, 'uuid')})
        with ordinality as x(move_id, audit_id, rn)),
    history as (
      insert into lead_moves (tenant_id, id, lead_id, kind, at, actor_id, from_pool_id, to_pool_id,
                              from_org_id, to_org_id, from_owner_id, to_owner_id, from_status, to_status, reason)
      select ${tenantId}::uuid, x.move_id, n.id, 'reclaim', ${at}, null, n.pool_id, n.target_id,
             n.org_id, n.target_org, n.owner_id, null, n.status, n.to_status, n.reason
        from numbered n join new_ids x on x.rn = n.rn),
    audit as (
      insert into audit_log (tenant_id, id, at, actor_type, actor_id, actor_name, action, object_type,
                             object_id, summary, before, after)
      select ${tenantId}::uuid, x.audit_id, ${at}, 'system', null, 'system', 'reclaim', 'lead', n.id::text,
             n.name || ' (' || n.reason || ')',
             jsonb_build_object('poolId', n.pool_id, 'unitId', n.unit_id, 'orgId', n.org_id,
                                'ownerId', n.owner_id, 'status', n.status),
             jsonb_build_object('poolId', n.target_id, 'unitId', n.target_unit, 'orgId', n.target_org,
                                'ownerId', null, 'status', n.to_status)
        from numbered n join new_ids x on x.rn = n.rn),
    locks as (
      insert into lead_claim_locks (tenant_id, lead_id, user_id, until)
      select ${tenantId}::uuid, n.id, n.owner_id, ${at} + make_interval(days => n.lock_days)
        from numbered n where n.lock_days > 0
      on conflict (tenant_id, lead_id, user_id)
        do update set until = greatest(lead_claim_locks.until, excluded.until))
    select id, name, owner_id from numbered order by id`)
  return res.rows
}

/**
 * Runs a reclaim over `ids` batch by batch (`move` takes one batch back and answers what it
 * moved), counting per previous owner what they lost, resumable from `opts.resume`.
 */
export async function reclaimInBatches(
  ids: string[],
  opts: ReclaimOptions,
  move: (batch: string[]) => Promise<{ id: string; name: string; owner_id: string }[]>,
): Promise<{ state: ReclaimProgress; batches: number; reclaimed: number }> {
  const state: ReclaimProgress = opts.resume ?? { owners: {}, reclaimed: 0 }
  const size = opts.batchSize ?? BATCH
  let batches = 0
  let reclaimed = 0
  for (let i = 0; i < ids.length; i += size) {
    const moved = await move(ids.slice(i, i + size))
    batches++
    reclaimed += moved.length
    state.reclaimed += moved.length
    for (const m of moved) {
      const o = state.owners[m.owner_id] ?? { n: 0, leads: [] }
      state.owners[m.owner_id] = o
      o.n++
      if (o.leads.length < 5) o.leads.push({ id: m.id, name: m.name })
    }
    await opts.progress?.(state, Math.min(i + size, ids.length), ids.length)
  }
  return { state, batches, reclaimed }
}

/**
 * A reclaim run as a job handler: a restarted run resumes with the owners already counted (so each
 * still gets one notification); progress is reported per batch.
 */
export function reclaimJob(
  run: (db: Db, tenantId: string, now: Date, opts: ReclaimOptions) => Promise<unknown>,
): JobHandler['run'] {
  return (job, tools) =>
    run(tools.db, job.tenantId!, new Date(), {
      resume: (job.checkpoint as ReclaimProgress | null) ?? null,
      progress: (state, done, total) =>
        tools.progress(
          total ? Math.min(99, Math.floor((done / total) * 100)) : 99,
          `${done}/${total}`,
          state,
        ),
    })
}

/** How notifications name what a reclaim took back: leads, customers. */
export interface ReclaimNoun {
  subjectType: string
  /** 线索, 客户 */
  label: string
  /** The counter word: 条, 个 */
  counter: string
  link: (id: string) => string
}
const LEAD_NOUN: ReclaimNoun = {
  subjectType: 'lead',
  label: '线索',
  counter: '条',
  link: (id) => `/leads/${id}`,
}

/** One notification per previous owner for the whole run (idempotent per run instant). */
export async function notifyReclaimed(
  ctx: Ctx,
  state: ReclaimProgress,
  now: Date,
  noun: ReclaimNoun,
): Promise<number> {
  const items: NotificationInput[] = Object.entries(state.owners).map(([userId, o]) => {
    const names = o.leads.map((l) => l.name).join('、')
    const one = o.n === 1 ? o.leads[0] : undefined
    return {
      userId,
      kind: 'reclaimed',
      title: one
        ? `${noun.label}「${one.name}」已被收回公海`
        : `${o.n} ${noun.counter}${noun.label}已被收回公海`,
      body: one
        ? '长时间未跟进或未转化，已按公海规则自动收回。'
        : `${names}${o.n > o.leads.length ? ' 等' : ''}长时间未跟进或未转化，已按公海规则自动收回。`,
      link: one ? noun.link(one.id) : null,
      subjectType: one ? noun.subjectType : null,
      subjectId: one?.id ?? null,
      dedupeKey: `reclaimed:${noun.subjectType === 'lead' ? '' : `${noun.subjectType}:`}${now.toISOString()}`,
    }
  })
  let n = 0
  for (let i = 0; i < items.length; i += 1000) n += await notify(ctx, items.slice(i, i + 1000))
  return n
}

/**
 * A UUIDv7 made in SQL from PostgreSQL 15 functions (48-bit millisecond time over a random v4
 * UUID, version bits set to 7): for rows made by INSERT … SELECT, whose count is not known before.
 */
const uuidV7 = sql.raw(`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
  substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
  52, 1), 53, 1), 'hex')::uuid`)

/**
 * Tells owners, remindDaysBefore days ahead, which of their leads will be reclaimed and when.
 * Once per lead and deadline: a follow-up moves the deadline, and a later one warns again. One
 * INSERT … SELECT: the leads in their reminder window never travel to the application.
 */
async function remindSoon(ctx: Ctx, rules: RuleRow[], at: SQL): Promise<number> {
  if (!rules.some((r) => r.remind != null)) return 0
  const tenantId = ctx.actor.tenantId
  const key = sql`'reclaim_soon:' || l.id || ':' || to_char(${deadline} at time zone 'UTC', 'YYYYMMDDHH24MI')`
  const tz = sql`coalesce((select ${tenants.timezone} from ${tenants} where ${tenants.id} = ${tenantId}::uuid), 'Asia/Shanghai')`
  const res = await ctx.db.execute<{ n: number }>(sql`with ${ruleCte(rules)},
    soon as (
      select l.id, l.owner_id, l.name, ${deadline} as due_at, ${key} as key
        from leads l ${joinRules}
       where ${held(tenantId)} and r.remind is not null
         and ${deadline} > ${at} and ${deadline} - make_interval(days => r.remind) <= ${at}),
    sent as (
      insert into notifications (tenant_id, id, user_id, kind, title, body, link, subject_type, subject_id, dedupe_key)
      select ${tenantId}::uuid, ${uuidV7}, s.owner_id, 'reclaim_soon', '线索「' || s.name || '」即将被收回公海',
             '请在 ' || to_char(s.due_at at time zone ${tz}, 'YYYY-MM-DD HH24:MI') || ' 前跟进，否则将按公海规则自动收回。',
             '/leads/' || s.id, 'lead', s.id, s.key
        from soon s
       where not exists (select 1 from notifications n where n.tenant_id = ${tenantId}::uuid
                           and n.user_id = s.owner_id and n.dedupe_key = s.key)
      on conflict (tenant_id, user_id, dedupe_key) do nothing
      returning 1)
    select count(*)::int as n from sent`)
  return Number(res.rows[0]?.n ?? 0)
}
