import { and, eq, type SQL, sql } from 'drizzle-orm'
import { type Ctx, can } from '../../../platform/access/actor.js'
import { decodeCursor, encodeCursor, isUuid } from '../../../platform/access/data-access.js'
import { maskEmail, maskPhone } from '../../../platform/access/mask.js'
import { PII_PERMISSION } from '../../../platform/access/permissions.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { region } from '../../../platform/custom-fields/regions.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { AppError, notFound, validationFailed } from '../../../platform/http/errors.js'
import { workspacePhoneRegion } from '../../../platform/tenancy/phone-region.js'
import { openTable } from '../../intake/import/file/index.js'
import { fileProblem } from '../../intake/import/import.service.js'
import '../../intake/messages.js'
import { leadsRepo } from '../../leads/service.js'
import { sqlArray } from '../../quality/bulk.js'
import { customersRepo } from '../../sales/customers/repo.js'
import {
  type IdentityKey,
  identityColumns,
  identityKeyString,
  resolveIdentities,
  rowIdentity,
} from '../persons/identity-column.js'
import { personScope } from '../persons/scope.js'
import { segments } from '../schema.js'
import './messages.js'
import { analyzeAfter, countMembers, lockSegment, type RefreshResult, recordSize } from './refresh.service.js'

type Row = Record<string, unknown>
type SegmentRow = typeof segments.$inferSelect

/** The segment (any kind) or 404 when it is not one of the workspace's. */
export async function segmentOf(ctx: Ctx, segmentId: string): Promise<SegmentRow> {
  if (!isUuid(segmentId)) throw notFound()
  const [row] = await ctx.db
    .select()
    .from(segments)
    .where(and(eq(segments.tenantId, ctx.actor.tenantId), eq(segments.id, segmentId)))
  if (!row) throw notFound()
  return row as SegmentRow
}

/**
 * The members of a segment a caller may see, in person-id order: `m` is segment_members, `p` the
 * person (merged-away persons are never members), restricted by the caller's person scope.
 */
export function membersFrom(ctx: Ctx, segmentId: string, after: string | null | undefined): SQL {
  const scope = personScope(ctx, sql`m.person_id`)
  return sql`from segment_members m
    join persons p on p.tenant_id = m.tenant_id and p.id = m.person_id and p.merged_into_id is null
    where m.tenant_id = ${ctx.actor.tenantId} and m.segment_id = ${segmentId}
      ${after ? sql`and m.person_id > ${after}::uuid` : sql``}
      ${scope ? sql`and ${scope}` : sql``}`
}

export interface MemberPage {
  personIds: string[]
  /** Pass as `after` for the next page; null after the last one. */
  next: string | null
}

/**
 * THE STABLE CONTRACT for later modules (campaigns, journeys, exports): the persons of a segment,
 * a page at a time, in person-id order (keyset on person_id, so pages stay stable while members
 * are added or removed elsewhere in the list). Pass `next` back as `after` until it is null.
 * Merged-away persons are never returned; a non-system caller gets only the persons its data
 * scope reaches (jobs run as the system actor and get every member). 404 for an unknown segment.
 * `limit` defaults to 1000, at most 10,000.
 */
export async function segmentMembers(
  ctx: Ctx,
  segmentId: string,
  opts: { after?: string | null; limit?: number } = {},
): Promise<MemberPage> {
  await segmentOf(ctx, segmentId)
  const limit = Math.min(Math.max(Math.floor(opts.limit ?? 1000), 1), 10_000)
  const after = opts.after && isUuid(opts.after) ? opts.after : null
  const res = await ctx.db.execute(
    sql`select m.person_id ${membersFrom(ctx, segmentId, after)} order by m.person_id limit ${limit + 1}`,
  )
  const ids = res.rows.map((r) => String((r as Row).person_id))
  const more = ids.length > limit
  const personIds = more ? ids.slice(0, limit) : ids
  return { personIds, next: more ? personIds[personIds.length - 1]! : null }
}

/** Every member, `batch` person ids at a time (the stable contract; see segmentMembers). */
export async function* iterateSegmentMembers(
  ctx: Ctx,
  segmentId: string,
  batch = 1000,
): AsyncGenerator<string[]> {
  let after: string | null = null
  do {
    const page: MemberPage = await segmentMembers(ctx, segmentId, { after, limit: batch })
    if (page.personIds.length) yield page.personIds
    after = page.next
  } while (after)
}

/** A region code as people read it: 上海市 / 浦东新区 (levels such as 市辖区 left out). */
const FILLER = new Set(['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'])
export function regionNameOf(code: string | null): string | null {
  if (!code) return null
  let node = region(code)
  if (!node) return code
  const names: string[] = []
  while (node) {
    if (!FILLER.has(node.name)) names.unshift(node.name)
    node = node.parent ? region(node.parent) : undefined
  }
  return names.join(' / ')
}

export interface MemberTag {
  id: string
  name: string
  color: string | null
}

export interface MemberDetail {
  personId: string
  name: string | null
  company: string | null
  regionCode: string | null
  regionName: string | null
  /** Masked (138****8000) unless the caller holds pii.view. */
  mobile: string | null
  email: string | null
  tags: MemberTag[]
  addedAt: Date
}

/** Tags of the given persons, in group and tag order. */
async function tagsOf(ctx: Ctx, personIds: string[]): Promise<Map<string, MemberTag[]>> {
  const out = new Map<string, MemberTag[]>()
  if (personIds.length === 0) return out
  const res = await ctx.db.execute(sql`select pt.person_id, t.id, t.name, t.color
    from person_tags pt
    join tags t on t.tenant_id = pt.tenant_id and t.id = pt.tag_id
    join tag_groups g on g.tenant_id = t.tenant_id and g.id = t.group_id
    where pt.tenant_id = ${ctx.actor.tenantId} and pt.person_id = any(${sqlArray(personIds, 'uuid')})
    order by g.sort_order, g.name, t.sort_order, t.name`)
  for (const r of res.rows as Row[]) {
    const list = out.get(String(r.person_id)) ?? []
    list.push({ id: String(r.id), name: String(r.name), color: (r.color as string | null) ?? null })
    out.set(String(r.person_id), list)
  }
  return out
}

/**
 * A page of members with what lists and exports show: name, company, region, mobile and email
 * (masked unless pii.view), tags and when they joined. Keyset on person id.
 */
export async function memberDetails(
  ctx: Ctx,
  segmentId: string,
  opts: { after?: string | null; limit: number },
): Promise<{ items: MemberDetail[]; next: string | null }> {
  const t = ctx.actor.tenantId
  const identity = (kind: string) =>
    sql`(select i.value from person_identities i where i.tenant_id = ${t} and i.person_id = m.person_id
      and i.kind = ${kind} order by i.created_at, i.value limit 1)`
  const res = await ctx.db.execute(sql`select m.person_id, m.added_at, p.name, p.company, p.region_code,
      ${identity('mobile')} as mobile, ${identity('email')} as email
    ${membersFrom(ctx, segmentId, opts.after)} order by m.person_id limit ${opts.limit + 1}`)
  const rows = res.rows as Row[]
  const more = rows.length > opts.limit
  const page = more ? rows.slice(0, opts.limit) : rows
  const tags = await tagsOf(
    ctx,
    page.map((r) => String(r.person_id)),
  )
  const pii = can(ctx.actor, PII_PERMISSION)
  const items = page.map((r): MemberDetail => {
    const mobile = (r.mobile as string | null) ?? null
    const email = (r.email as string | null) ?? null
    const code = (r.region_code as string | null) ?? null
    return {
      personId: String(r.person_id),
      name: (r.name as string | null) ?? null,
      company: (r.company as string | null) ?? null,
      regionCode: code,
      regionName: regionNameOf(code),
      mobile: mobile && !pii ? maskPhone(mobile) : mobile,
      email: email && !pii ? maskEmail(email) : email,
      tags: tags.get(String(r.person_id)) ?? [],
      addedAt: r.added_at instanceof Date ? r.added_at : new Date(String(r.added_at)),
    }
  })
  return { items, next: more ? items[items.length - 1]!.personId : null }
}

/** The members list route: an opaque cursor over memberDetails. */
export async function listMembers(
  ctx: Ctx,
  segmentId: string,
  opts: { cursor?: string; limit?: number },
): Promise<{ items: MemberDetail[]; nextCursor: string | null }> {
  await segmentOf(ctx, segmentId)
  const cur = opts.cursor ? decodeCursor(opts.cursor) : null
  const after = cur && typeof cur[1] === 'string' && isUuid(cur[1]) ? cur[1] : null
  const page = await memberDetails(ctx, segmentId, { after, limit: Math.min(opts.limit ?? 20, 200) })
  return { items: page.items, nextCursor: page.next ? encodeCursor(['m', page.next]) : null }
}

/** The segment locked, and 409 unless it is static (members of dynamic ones come from conditions). */
async function lockStatic(ctx: Ctx, segmentId: string): Promise<SegmentRow> {
  const seg = await lockSegment(ctx, segmentId)
  if (seg.kind !== 'static') throw new AppError(409, 'segment_not_static')
  return seg
}

/**
 * Persons (not merged away, in the caller's scope) among `ids`, each mapped through a merge to
 * its survivor: id → the person id to use.
 */
async function visiblePersons(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const valid = [...new Set(ids.filter(isUuid))]
  if (valid.length === 0) return out
  const scope = personScope(ctx, sql`s.id`)
  const res = await ctx.db.execute(sql`select p.id as given, s.id as person_id
    from persons p join persons s on s.tenant_id = p.tenant_id and s.id = coalesce(p.merged_into_id, p.id)
    where p.tenant_id = ${ctx.actor.tenantId} and p.id = any(${sqlArray(valid, 'uuid')})
      and s.merged_into_id is null ${scope ? sql`and ${scope}` : sql``}`)
  for (const r of res.rows as Row[]) out.set(String(r.given), String(r.person_id))
  return out
}

/** Inserts members (new ones only), recounts, and records the size and the audit entry. */
async function addMembers(
  ctx: Ctx,
  seg: SegmentRow,
  personIds: string[],
  audit: { action: string; after: Row },
): Promise<RefreshResult> {
  const t = ctx.actor.tenantId
  let added = 0
  for (let i = 0; i < personIds.length; i += 5000) {
    const chunk = personIds.slice(i, i + 5000)
    const res = await ctx.db.execute(sql`insert into segment_members (tenant_id, segment_id, person_id)
      select ${t}::uuid, ${seg.id}::uuid, x from unnest(${sqlArray(chunk, 'uuid')}) as x
      on conflict do nothing returning 1`)
    added += res.rows.length
  }
  return finishEdit(ctx, seg, { added, removed: 0 }, audit)
}

async function finishEdit(
  ctx: Ctx,
  seg: SegmentRow,
  change: { added: number; removed: number },
  audit: { action: string; after: Row },
): Promise<RefreshResult> {
  const size = await countMembers(ctx, seg.id)
  await ctx.db
    .update(segments)
    .set({ memberCount: size })
    .where(and(eq(segments.tenantId, ctx.actor.tenantId), eq(segments.id, seg.id)))
  const result = { size, ...change }
  if (change.added + change.removed > 0) await recordSize(ctx, seg.id, result, 'manual')
  await writeAudit(ctx, [
    {
      action: audit.action,
      objectType: 'segment',
      objectId: seg.id,
      summary: seg.name,
      after: { ...audit.after, ...change, size },
    },
  ])
  return result
}

export type MemberSubject = 'person' | 'lead' | 'customer'

/**
 * Adds persons to a static segment: person ids, or leads/customers (their persons). Only records
 * the caller sees count; the others are reported as skipped (not_found, or no_person for a lead or
 * customer without a person yet).
 */
export async function addStaticMembers(
  ctx: Ctx,
  segmentId: string,
  input: { subjectType: MemberSubject; ids: string[] },
): Promise<RefreshResult & { skipped: { id: string; reason: string }[] }> {
  return inTransaction(ctx, async (tx) => {
    const seg = await lockStatic(tx, segmentId)
    const skipped: { id: string; reason: string }[] = []
    const personOf = new Map<string, string>()
    if (input.subjectType === 'person') {
      const found = await visiblePersons(tx, input.ids)
      for (const id of input.ids) {
        const p = found.get(id)
        if (p) personOf.set(id, p)
        else skipped.push({ id, reason: 'not_found' })
      }
    } else {
      const repo = input.subjectType === 'lead' ? leadsRepo : customersRepo
      const valid = [...new Set(input.ids.filter(isUuid))]
      const rows = valid.length ? await repo.findMany(tx, valid, { raw: true }) : []
      const via = new Map(rows.map((r) => [String(r.id), (r.personId as string | null) ?? null]))
      const persons = await visiblePersonsUnscoped(
        tx,
        [...via.values()].filter((p): p is string => !!p),
      )
      for (const id of input.ids) {
        if (!via.has(id)) skipped.push({ id, reason: 'not_found' })
        else {
          const p = via.get(id) ? persons.get(via.get(id)!) : undefined
          if (p) personOf.set(id, p)
          else skipped.push({ id, reason: 'no_person' })
        }
      }
    }
    const personIds = [...new Set(personOf.values())]
    const r = await addMembers(tx, seg, personIds, {
      action: 'add_members',
      after: { subjectType: input.subjectType, personIds: personIds.slice(0, 100) },
    })
    return { ...r, skipped }
  })
}

/**
 * Persons of records the caller already sees (its leads, its customers): not merged away, each
 * mapped to its survivor. The record's visibility is the authorisation here.
 */
async function visiblePersonsUnscoped(ctx: Ctx, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  const valid = [...new Set(ids.filter(isUuid))]
  if (valid.length === 0) return out
  const res = await ctx.db.execute(sql`select p.id as given, s.id as person_id
    from persons p join persons s on s.tenant_id = p.tenant_id and s.id = coalesce(p.merged_into_id, p.id)
    where p.tenant_id = ${ctx.actor.tenantId} and p.id = any(${sqlArray(valid, 'uuid')})
      and s.merged_into_id is null`)
  for (const r of res.rows as Row[]) out.set(String(r.given), String(r.person_id))
  return out
}

/** Removes persons (only ones the caller sees) from a static segment. */
export async function removeStaticMembers(
  ctx: Ctx,
  segmentId: string,
  personIds: string[],
): Promise<RefreshResult> {
  return inTransaction(ctx, async (tx) => {
    const seg = await lockStatic(tx, segmentId)
    const valid = [...new Set(personIds.filter(isUuid))]
    const scope = personScope(tx, sql`m.person_id`)
    const res = valid.length
      ? await tx.db.execute(sql`delete from segment_members m
          where m.tenant_id = ${tx.actor.tenantId} and m.segment_id = ${seg.id}
            and m.person_id = any(${sqlArray(valid, 'uuid')}) ${scope ? sql`and ${scope}` : sql``}
          returning m.person_id`)
      : { rows: [] }
    return finishEdit(
      tx,
      seg,
      { added: 0, removed: res.rows.length },
      {
        action: 'remove_members',
        after: { personIds: res.rows.slice(0, 100).map((r) => String((r as Row).person_id)) },
      },
    )
  })
}

const IMPORT_BATCH = 1000
const NOT_FOUND_LIMIT = 1000

export interface MemberImportResult extends RefreshResult {
  rows: number
  notFound: { row: number; value: string }[]
  /** All rows not found (the list stops at 1,000). */
  notFoundCount: number
}

/** The columns a member import reads (persons only: lead and customer ids would make persons). */
const IMPORT_COLUMNS = ['personId', 'mobile', 'email'] as const

/**
 * Adds the persons of an uploaded file (CSV in UTF-8/BOM/GBK, or XLSX) to a static segment. The
 * columns read are those named like 人员ID/手机号/邮箱 (or the only one; see identity-column.ts),
 * a row by its first non-empty one; each cell is matched by what it is: a person id, an email, or
 * a phone number normalised to E.164 and looked up in the person identities. Rows naming no person
 * the caller sees (or a merged-away one by id) are reported as not found.
 */
export async function importStaticMembers(
  ctx: Ctx,
  segmentId: string,
  file: { path: string; fileName: string },
  maxBytes: number,
): Promise<MemberImportResult> {
  const seg = await segmentOf(ctx, segmentId)
  if (seg.kind !== 'static') throw new AppError(409, 'segment_not_static')
  const table = await openTable(file.path, { fileName: file.fileName, maxBytes }).catch(fileProblem)
  const columns = identityColumns(table.headers, { kinds: IMPORT_COLUMNS, lone: true })
  if (!columns.length) throw validationFailed([{ field: 'file', code: 'segment_import_no_column' }])
  const phoneRegion = await workspacePhoneRegion(ctx.db, ctx.actor.tenantId)
  const found = new Set<string>()
  const notFound: { row: number; value: string }[] = []
  let notFoundCount = 0
  let rows = 0
  let batch: { row: number; value: string; key: IdentityKey | null }[] = []
  const flush = async () => {
    const resolved = await resolveIdentities(
      ctx,
      batch.flatMap((b) => (b.key ? [b.key] : [])),
    )
    for (const b of batch) {
      const p = b.key ? resolved.get(identityKeyString(b.key)) : undefined
      if (p) found.add(p)
      else {
        notFoundCount++
        if (notFound.length < NOT_FOUND_LIMIT) notFound.push({ row: b.row, value: b.value })
      }
    }
    batch = []
  }
  try {
    for await (const r of table.rows()) {
      const id = rowIdentity(columns, r.cells, { sniff: true, phoneRegion })
      if (!id) continue
      rows++
      batch.push({ row: r.rowNumber, value: id.value, key: id.key })
      if (batch.length >= IMPORT_BATCH) await flush()
    }
  } catch (err) {
    fileProblem(err)
  }
  if (batch.length) await flush()
  const result = await inTransaction(ctx, async (tx) => {
    const locked = await lockStatic(tx, segmentId)
    return addMembers(tx, locked, [...found], {
      action: 'import_members',
      after: { fileName: file.fileName, rows, notFound: notFoundCount },
    })
  })
  await analyzeAfter(ctx, result)
  return { ...result, rows, notFound, notFoundCount }
}
