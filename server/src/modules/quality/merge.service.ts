import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { writeAudit } from '../../platform/audit/service.js'
import { newId } from '../../platform/db/columns.js'
import { inTransaction } from '../../platform/db/tx.js'
import { publish } from '../../platform/events/outbox.js'
import { AppError, validationFailed } from '../../platform/http/errors.js'
import { leadsRepo } from '../leads/service.js'
import { leadMerges } from './schema.js'
import { rescoreLeads } from './scoring.service.js'
import { loadSettings } from './settings.service.js'
import { survive } from './survivorship.js'

type Row = Record<string, unknown>
const COLUMN: Record<string, string> = { creditCode: 'credit_code', regionCode: 'region_code' }

/** A lead row (snake_case, as `select *` gives it) for before-images and restores. */
async function rawLead(ctx: Ctx, id: string): Promise<Row> {
  const res = await ctx.db.execute<Row>(
    sql`select * from leads where tenant_id = ${ctx.actor.tenantId} and id = ${id} for update`,
  )
  return res.rows[0]!
}

const camel = (r: Row) => ({
  name: r.name as string,
  mobile: r.mobile as string | null,
  phone: r.phone as string | null,
  email: r.email as string | null,
  company: r.company as string | null,
  title: r.title as string | null,
  creditCode: r.credit_code as string | null,
  address: r.address as string | null,
  regionCode: r.region_code as string | null,
  notes: r.notes as string | null,
  custom: (r.custom as Record<string, unknown>) ?? {},
  channelId: r.channel_id as string | null,
})

/** Writes a full lead row back from a before-image (every column the factory or a merge changes). */
async function restoreRow(ctx: Ctx, b: Row): Promise<void> {
  await ctx.db.execute(sql`
    update leads l set name = r.name, mobile = r.mobile, phone = r.phone, email = r.email, company = r.company,
      title = r.title, credit_code = r.credit_code, address = r.address, region_code = r.region_code,
      notes = r.notes, custom = r.custom, status = r.status, intent_count = r.intent_count,
      last_intent_at = r.last_intent_at, last_campaign_id = r.last_campaign_id, name_key = r.name_key,
      company_key = r.company_key, pinyin_full = r.pinyin_full, pinyin_initials = r.pinyin_initials,
      person_id = r.person_id, score = r.score, grade = r.grade, updated_at = now(), version = l.version + 1
    from jsonb_populate_record(null::leads, ${JSON.stringify(b)}::jsonb) r
    where l.tenant_id = ${ctx.actor.tenantId} and l.id = r.id`)
}

/**
 * Merges existing leads into one (the review queue's "merge", or by hand). Every lead must be
 * visible to the caller. The target takes the sources' values by survivorship, their intents and
 * intent counts; a source of another person brings its identity keys and behaviour to the
 * target's person. Each source's full row and the target's before-image are kept: unmerge restores them.
 */
export async function mergeLeads(ctx: Ctx, targetId: string, sourceIds: string[]) {
  if (!sourceIds.length || sourceIds.includes(targetId))
    throw validationFailed([{ field: 'sourceIds', code: 'invalid_option' }])
  return inTransaction(ctx, async (tx) => {
    const t = tx.actor.tenantId
    const visible = await leadsRepo.findMany(tx, [targetId, ...sourceIds], { forUpdate: true, raw: true })
    if (visible.length !== sourceIds.length + 1) throw new AppError(404, 'not_found')
    const settings = await loadSettings(tx)
    const mergeIds: string[] = []
    for (const sourceId of sourceIds) {
      const target = await rawLead(tx, targetId)
      const source = await rawLead(tx, sourceId)
      const { values, changed } = survive(
        camel(target),
        camel(source),
        camel(source).channelId,
        settings.survivorship,
      )
      const movedKeys: string[] = []
      if (source.person_id && target.person_id && source.person_id !== target.person_id) {
        // The source's person becomes the target's: its keys and behaviour follow.
        const keys = await tx.db.execute<{ k: string }>(sql`
          update person_identities set person_id = ${target.person_id}
          where tenant_id = ${t} and person_id = ${source.person_id}
          returning kind || '|' || namespace || '|' || value as k`)
        movedKeys.push(...keys.rows.map((r) => r.k))
        await tx.db.execute(sql`update behaviour_events set person_id = ${target.person_id}
          where tenant_id = ${t} and person_id = ${source.person_id}`)
        await tx.db.execute(sql`update leads set person_id = ${target.person_id}
          where tenant_id = ${t} and person_id = ${source.person_id} and id <> ${sourceId}`)
        await tx.db.execute(sql`update persons set merged_into_id = ${target.person_id}
          where tenant_id = ${t} and id = ${source.person_id}`)
      }
      const moved = await tx.db.execute<{ id: string }>(sql`
        update lead_intents set lead_id = ${targetId} where tenant_id = ${t} and lead_id = ${sourceId} returning id`)
      const set = Object.entries(values).map(
        ([f, v]) =>
          sql`${sql.identifier(f === 'custom' ? 'custom' : (COLUMN[f] ?? f))} = ${f === 'custom' ? JSON.stringify(v) : v}${f === 'custom' ? sql`::jsonb` : sql``}`,
      )
      await tx.db.execute(sql`
        update leads set ${sql.join(
          [
            ...set,
            sql`intent_count = intent_count + ${Number(source.intent_count ?? 1)}`,
            sql`last_intent_at = greatest(last_intent_at, ${source.last_intent_at as string}::timestamptz)`,
            sql`updated_at = now()`,
            sql`version = version + 1`,
          ],
          sql`, `,
        )}
        where tenant_id = ${t} and id = ${targetId}`)
      await tx.db.execute(sql`update review_items set status = 'merged', resolved_by = ${tx.actor.id}, resolved_at = now(),
        version = version + 1 where tenant_id = ${t} and status = 'open' and (lead_id = ${sourceId} or candidate_lead_id = ${sourceId})`)
      await tx.db.execute(sql`delete from leads where tenant_id = ${t} and id = ${sourceId}`)
      const id = newId()
      mergeIds.push(id)
      await tx.db.insert(leadMerges).values({
        tenantId: t,
        id,
        targetLeadId: targetId,
        sourceLeadId: sourceId,
        before: target,
        sourceBefore: { row: source, movedIntentIds: moved.rows.map((r) => r.id), movedKeys },
        changed: [...changed, 'intent_count'],
        mergedBy: tx.actor.type === 'user' ? tx.actor.id : null,
      })
      await writeAudit(tx, [
        {
          action: 'merge',
          objectType: 'lead',
          objectId: targetId,
          summary: String(target.name),
          before: target,
          after: { mergedFrom: sourceId, changed },
        },
        {
          action: 'delete',
          objectType: 'lead',
          objectId: sourceId,
          summary: `${String(source.name)} → ${String(target.name)}`,
          before: source,
        },
      ])
    }
    await rescoreLeads(tx, [targetId])
    await publish(tx, [
      {
        type: 'lead.merged',
        aggregateType: 'lead',
        aggregateId: targetId,
        payload: { leadIds: [targetId], sourceIds },
      },
    ])
    return { targetId, mergeIds, lead: (await leadsRepo.get(tx, targetId)) as Row }
  })
}

/**
 * Undoes one merge: the target goes back to its before-image, an absorbed lead comes back as it
 * was with its intents, keys and behaviour; an intent merged in by the factory becomes a lead of
 * its own. Refused (409) while a later merge into the same lead is still in place.
 */
export async function unmerge(ctx: Ctx, mergeId: string) {
  return inTransaction(ctx, async (tx) => {
    const t = tx.actor.tenantId
    const [m] = await tx.db
      .select()
      .from(leadMerges)
      .where(and(eq(leadMerges.tenantId, t), eq(leadMerges.id, mergeId)))
      .for('update')
    if (!m) throw new AppError(404, 'not_found')
    await leadsRepo.get(tx, m.targetLeadId) // the caller must see the lead (404 otherwise)
    if (m.undoneAt) throw new AppError(409, 'merge_already_undone')
    const [later] = await tx.db
      .select({ id: leadMerges.id })
      .from(leadMerges)
      .where(
        and(
          eq(leadMerges.tenantId, t),
          eq(leadMerges.targetLeadId, m.targetLeadId),
          isNull(leadMerges.undoneAt),
          // compared in SQL (a JS Date drops PostgreSQL's microseconds); merges of one call share
          // merged_at, so their time-ordered ids break the tie
          sql`(${leadMerges.mergedAt}, ${leadMerges.id}) > (select merged_at, id from lead_merges where tenant_id = ${t} and id = ${m.id})`,
        ),
      )
      .orderBy(desc(leadMerges.mergedAt), desc(leadMerges.id))
      .limit(1)
    if (later) throw new AppError(409, 'merge_not_latest', { mergeId: later.id })
    await restoreRow(tx, m.before)
    let restoredId: string | null = null
    const sb = m.sourceBefore as { row: Row; movedIntentIds: string[]; movedKeys: string[] } | null
    if (sb?.row) {
      restoredId = String(sb.row.id)
      await tx.db.execute(
        sql`insert into leads select * from jsonb_populate_record(null::leads, ${JSON.stringify(sb.row)}::jsonb)`,
      )
      if (sb.movedIntentIds.length)
        await tx.db.execute(sql`update lead_intents set lead_id = ${restoredId}
          where tenant_id = ${t} and id in (select x::uuid from jsonb_array_elements_text(${JSON.stringify(sb.movedIntentIds)}::jsonb) x)`)
      const sourcePerson = sb.row.person_id as string | null
      if (sb.movedKeys.length && sourcePerson) {
        await tx.db.execute(sql`update person_identities set person_id = ${sourcePerson}
          where tenant_id = ${t} and kind || '|' || namespace || '|' || value in
            (select x from jsonb_array_elements_text(${JSON.stringify(sb.movedKeys)}::jsonb) x)`)
        // Behaviour goes back by the keys it arrived with.
        await tx.db.execute(sql`update behaviour_events e set person_id = ${sourcePerson}
          where e.tenant_id = ${t} and e.person_id = ${m.before.person_id as string} and exists (
            select 1 from jsonb_each_text(e.identity) k join person_identities i on i.tenant_id = ${t}
              and i.person_id = ${sourcePerson} and i.value = k.value)`)
        await tx.db.execute(
          sql`update persons set merged_into_id = null where tenant_id = ${t} and id = ${sourcePerson}`,
        )
      }
    } else if (m.intentId) {
      // An intent merged in by the factory becomes its own lead, from what it carried.
      const [intent] = (
        await tx.db.execute<Row>(
          sql`select * from lead_intents where tenant_id = ${t} and id = ${m.intentId}`,
        )
      ).rows
      if (intent) {
        restoredId = newId()
        const p = intent.payload as Row
        const target = m.before
        await tx.db.execute(sql`insert into leads (tenant_id, id, name, mobile, phone, email, company, title, credit_code,
            address, region_code, notes, source, status, unit_id, org_id, person_id, channel_id, first_campaign_id,
            last_campaign_id, import_id, last_intent_at, custom)
          values (${t}, ${restoredId}, ${String(p.name ?? p.company ?? p.mobile ?? p.email ?? '—')}, ${p.mobile ?? null},
            ${p.phone ?? null}, ${p.email ?? null}, ${p.company ?? null}, ${p.title ?? null}, ${p.creditCode ?? null},
            ${p.address ?? null}, ${p.regionCode ?? null}, ${p.notes ?? null}, ${target.source ?? null}, 'new',
            ${target.unit_id as string}, ${target.org_id as string}, ${target.person_id as string}, ${intent.channel_id ?? null},
            ${intent.campaign_id ?? null}, ${intent.campaign_id ?? null}, ${intent.import_id ?? null},
            ${intent.received_at as string}::timestamptz, ${JSON.stringify(p.custom ?? {})}::jsonb)`)
        await tx.db.execute(sql`update lead_intents set lead_id = ${restoredId}, outcome = 'created'
          where tenant_id = ${t} and id = ${m.intentId}`)
      }
    }
    await tx.db
      .update(leadMerges)
      .set({ undoneAt: new Date() })
      .where(and(eq(leadMerges.tenantId, t), eq(leadMerges.id, mergeId)))
    await writeAudit(tx, [
      {
        action: 'unmerge',
        objectType: 'lead',
        objectId: m.targetLeadId,
        summary: String(m.before.name),
        after: { restoredId },
      },
    ])
    await rescoreLeads(tx, [m.targetLeadId, ...(restoredId ? [restoredId] : [])])
    await publish(tx, [
      {
        type: 'lead.unmerged',
        aggregateType: 'lead',
        aggregateId: m.targetLeadId,
        payload: { leadIds: [m.targetLeadId], restoredId },
      },
    ])
    return { targetId: m.targetLeadId, restoredId }
  })
}

/** The merges into a lead, newest first, for its history and the unmerge button. */
export async function mergesOf(ctx: Ctx, leadId: string) {
  await leadsRepo.get(ctx, leadId)
  return ctx.db
    .select({
      id: leadMerges.id,
      sourceLeadId: leadMerges.sourceLeadId,
      intentId: leadMerges.intentId,
      importId: leadMerges.importId,
      changed: leadMerges.changed,
      mergedAt: leadMerges.mergedAt,
      undoneAt: leadMerges.undoneAt,
    })
    .from(leadMerges)
    .where(and(eq(leadMerges.tenantId, ctx.actor.tenantId), eq(leadMerges.targetLeadId, leadId)))
    .orderBy(desc(leadMerges.mergedAt), desc(leadMerges.id))
}
