import { and, eq, getTableColumns, inArray, or, type SQL, sql } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../platform/access/actor.js'
import {
  createRepository,
  decodeCursor,
  encodeCursor,
  isUuid,
  scopeCondition,
} from '../../platform/access/data-access.js'
import { inTransaction } from '../../platform/db/tx.js'
import { type FieldError, validationFailed } from '../../platform/http/errors.js'
import { users } from '../../platform/org/schema.js'
import { type AttachmentRef, attachmentIdOf, attachmentMeta } from './followups.attachments.js'
import './followups.messages.js'
import { type FollowUpType, followUps } from './followups.schema.js'
import { followUpSubject, followUpSubjectTypes } from './followups.subjects.js'

/**
 * Follow-up records (跟进记录). Each carries its author and the unit/org its subject had when it was
 * written, so the repository scopes them like any record: the author (scope self), the unit
 * (department / tree) or the org.
 *
 * Who sees a follow-up: whoever it is in scope for, and also whoever sees its subject, as long as
 * the follow-up was written inside the org that holds the subject now. A salesperson who claims or
 * is handed a lead reads its whole history in their org; when a lead moves to another dealer, the
 * notes written at the previous one stay there (dealers never see each other's work).
 * Who edits or deletes one: whoever it is in scope for: the author, or someone with a wider scope.
 */
const SCOPE = { owner: followUps.ownerId, unit: followUps.unitId, org: followUps.orgId }
export const followUpsRepo = createRepository({
  table: followUps,
  objectType: 'follow_up',
  scope: SCOPE,
  sortable: ['occurredAt', 'createdAt'],
  label: (r) => `${r.type}: ${String(r.content).slice(0, 60)}`,
})

export interface FollowUpLocation {
  lat: number
  lng: number
  address?: string | null
}

export interface FollowUpInput {
  subjectType: string
  subjectId: string
  type: FollowUpType
  content: string
  outcome?: string | null
  occurredAt?: string | Date
  nextAt?: string | Date | null
  nextStep?: string | null
  attachments?: AttachmentRef[]
  location?: FollowUpLocation | null
  participants?: string[]
}
export type FollowUpPatch = Partial<Omit<FollowUpInput, 'subjectType' | 'subjectId'>> & { version?: number }

type Row = typeof followUps.$inferSelect

/** A follow-up as shown in a timeline: with its author's and participants' names. */
export interface FollowUpView extends Omit<Row, 'tenantId' | 'remindedAt' | 'overdueAlertedAt'> {
  authorName: string | null
  participantUsers: { id: string; name: string }[]
  /** The caller may edit and delete it. */
  editable: boolean
}

/** Clocks differ a little between a phone and the server: "now" on the phone is not the future. */
const CLOCK_SKEW_MS = 5 * 60 * 1000

function subjectKind(type: string) {
  const kind = followUpSubject(type)
  if (!kind) throw validationFailed([{ field: 'subjectType', code: 'invalid_option' }])
  return kind
}

/** Checks and normalises what was sent; `current` when editing. Every bad field is named. */
async function prepare(ctx: Ctx, input: FollowUpPatch, current?: Row) {
  const errors: FieldError[] = []
  const out: Partial<Row> = {}
  const given = (v: unknown) => v !== undefined
  if (given(input.type)) out.type = input.type!
  if (given(input.content)) out.content = input.content!.trim()
  if (given(input.outcome)) out.outcome = input.outcome?.trim() || null
  if (given(input.nextStep)) out.nextStep = input.nextStep?.trim() || null
  if (given(input.location)) {
    const l = input.location
    out.location = l
      ? { lat: l.lat, lng: l.lng, ...(l.address?.trim() ? { address: l.address.trim() } : {}) }
      : null
  }

  const occurredAt = given(input.occurredAt)
    ? new Date(input.occurredAt!)
    : (current?.occurredAt ?? new Date())
  if (given(input.occurredAt)) {
    out.occurredAt = occurredAt
    if (occurredAt.getTime() > Date.now() + CLOCK_SKEW_MS)
      errors.push({ field: 'occurredAt', code: 'occurred_in_future' })
  }
  const nextAt = given(input.nextAt)
    ? input.nextAt
      ? new Date(input.nextAt)
      : null
    : (current?.nextAt ?? null)
  if (given(input.nextAt)) out.nextAt = nextAt
  if ((given(input.nextAt) || given(input.occurredAt)) && nextAt && nextAt < occurredAt)
    errors.push({ field: 'nextAt', code: 'next_before_occurred' })

  if (input.participants) {
    const ids = [...new Set(input.participants)]
    const valid = ids.filter(isUuid)
    const found = valid.length
      ? await ctx.db
          .select({ id: users.id })
          .from(users)
          .where(
            and(eq(users.tenantId, ctx.actor.tenantId), inArray(users.id, valid), eq(users.status, 'active')),
          )
      : []
    const known = new Set(found.map((u) => u.id))
    input.participants.forEach((id, i) => {
      if (!known.has(id)) errors.push({ field: `participants[${i}]`, code: 'invalid_user' })
    })
    out.participants = ids
  }

  if (input.attachments) {
    // An attachment is the caller's own upload, or one the record already has: nobody attaches
    // (and so gains read access to) a file somebody else uploaded.
    const kept = new Set((current?.attachments ?? []).map((a) => a.url))
    const refs: AttachmentRef[] = []
    for (const [i, a] of input.attachments.entries()) {
      const id = attachmentIdOf(a.url)
      const meta = id ? await attachmentMeta(ctx.actor.tenantId, id) : null
      const mine =
        meta && (kept.has(a.url) || ctx.actor.type === 'system' || meta.uploadedBy === ctx.actor.id)
      if (!meta || !mine) errors.push({ field: `attachments[${i}].url`, code: 'invalid_attachment' })
      else
        refs.push({
          name: a.name?.trim() || meta.name,
          url: a.url,
          size: meta.size,
          contentType: meta.contentType,
        })
    }
    out.attachments = refs as unknown as Record<string, unknown>[]
  }
  if (errors.length) throw validationFailed(errors)
  return out
}

/** The SQL that makes follow-ups visible to the caller (see the comment at the top); undefined: all. */
function visibility(ctx: Ctx, subjectOrgId?: string): SQL | undefined {
  const scope = scopeCondition(ctx, SCOPE)
  if (!scope) return undefined
  const shared = subjectOrgId
    ? eq(followUps.orgId, subjectOrgId)
    : or(
        ...followUpSubjectTypes().map((t) =>
          and(eq(followUps.subjectType, t as Row['subjectType']), followUpSubject(t)!.sharedWith(ctx)),
        ),
      )
  return or(scope, shared)
}

const author = alias(users, 'author')
const { tenantId: _t, remindedAt: _r, overdueAlertedAt: _o, ...viewColumns } = getTableColumns(followUps)
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)?$/

/** Follow-ups as timeline entries, newest first (by when they happened), keyset-paged. */
async function views(
  ctx: Ctx,
  where: SQL | undefined,
  page: { limit?: number; cursor?: string | null } = {},
): Promise<{ items: FollowUpView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(page.limit ?? 20, 1), 200)
  const cur = page.cursor ? decodeCursor(page.cursor) : null
  const after =
    cur &&
    typeof cur[0] === 'string' &&
    TIMESTAMP.test(cur[0]) &&
    typeof cur[1] === 'string' &&
    isUuid(cur[1])
      ? sql`(${followUps.occurredAt}, ${followUps.id}) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)`
      : undefined
  const scope = scopeCondition(ctx, SCOPE)
  const rows = await ctx.db
    .select({
      ...viewColumns,
      // The database's own text keeps the microseconds a JS Date drops: the cursor needs them.
      sortKey: sql<string>`${followUps.occurredAt}::text`,
      authorName: author.name,
      participantUsers: sql<
        { id: string; name: string }[]
      >`(select coalesce(jsonb_agg(jsonb_build_object('id', p.id, 'name', p.name) order by p.name), '[]'::jsonb)
        from ${users} p where p.tenant_id = ${followUps.tenantId}
        and p.id::text in (select jsonb_array_elements_text(${followUps.participants})))`,
      editable: scope ? sql<boolean>`coalesce((${scope}), false)` : sql<boolean>`true`,
    })
    .from(followUps)
    .leftJoin(author, and(eq(author.tenantId, followUps.tenantId), eq(author.id, followUps.ownerId)))
    .where(and(eq(followUps.tenantId, ctx.actor.tenantId), where, after))
    .orderBy(sql`${followUps.occurredAt} desc, ${followUps.id} desc`)
    .limit(limit + 1)
  const more = rows.length > limit
  const items = more ? rows.slice(0, limit) : rows
  const last = items[items.length - 1]
  return {
    items: items.map(({ sortKey: _s, ...r }) => r as FollowUpView),
    nextCursor: more && last ? encodeCursor([last.sortKey, last.id]) : null,
  }
}

const viewOf = async (ctx: Ctx, id: string) =>
  (await views(ctx, eq(followUps.id, id), { limit: 1 })).items[0]!

/** The timeline of one subject, newest first; 404 when the caller cannot see the subject. */
export async function followUpTimeline(
  ctx: Ctx,
  subjectType: string,
  subjectId: string,
  page: { limit?: number; cursor?: string | null } = {},
) {
  const subject = await subjectKind(subjectType).load(ctx, subjectId)
  return views(
    ctx,
    and(
      eq(followUps.subjectType, subjectType as Row['subjectType']),
      eq(followUps.subjectId, subject.id),
      visibility(ctx, subject.orgId),
    ),
    page,
  )
}

/**
 * Records a follow-up on a subject the caller can see. The subject learns of it in the same
 * transaction: last and next follow-up times, first contact, and new/assigned → following.
 */
export async function createFollowUp(ctx: Ctx, input: FollowUpInput): Promise<FollowUpView> {
  const kind = subjectKind(input.subjectType)
  return inTransaction(ctx, async (tx) => {
    const subject = await kind.load(tx, input.subjectId, { forUpdate: true })
    const { subjectType: _s, subjectId: _i, ...fields } = input
    const values = await prepare(tx, fields)
    const [row] = await followUpsRepo.insert(tx, [
      {
        occurredAt: new Date(),
        ...values,
        subjectType: kind.type,
        subjectId: subject.id,
        ownerId: tx.actor.type === 'user' ? tx.actor.id : null,
        unitId: subject.unitId,
        orgId: subject.orgId,
      },
    ])
    await kind.afterChange(tx, subject.id, {
      contact: { at: row!.occurredAt as Date, status: subject.status },
    })
    return viewOf(tx, row!.id as string)
  })
}

/** Edits a follow-up in the caller's scope; a moved next step is reminded of again. */
export async function updateFollowUp(ctx: Ctx, id: string, patch: FollowUpPatch): Promise<FollowUpView> {
  return inTransaction(ctx, async (tx) => {
    const current = (await followUpsRepo.get(tx, id, { forUpdate: true, raw: true })) as Row
    const { version, ...fields } = patch
    const values = await prepare(tx, fields, current)
    const movedNext =
      values.nextAt !== undefined &&
      (values.nextAt?.getTime() ?? null) !== (current.nextAt?.getTime() ?? null)
    await followUpsRepo.update(
      tx,
      id,
      { ...values, ...(movedNext ? { remindedAt: null, overdueAlertedAt: null } : {}) },
      version,
    )
    await subjectKind(current.subjectType).afterChange(tx, current.subjectId, {})
    return viewOf(tx, id)
  })
}

/** Deletes a follow-up in the caller's scope (recycle bin); the subject's times are worked out again. */
export async function deleteFollowUp(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const current = (await followUpsRepo.get(tx, id, { forUpdate: true, raw: true })) as Row
    await followUpsRepo.remove(tx, [id])
    await subjectKind(current.subjectType).afterChange(tx, current.subjectId, {})
  })
}

/**
 * An attachment is readable by its uploader, and by whoever sees a follow-up that carries it.
 * (The file itself lives in the caller's own workspace folder: another workspace never reaches it.)
 */
export async function canReadAttachment(ctx: Ctx, url: string, uploadedBy: string | null): Promise<boolean> {
  if (ctx.actor.type === 'system' || (uploadedBy && uploadedBy === ctx.actor.id)) return true
  const [row] = await ctx.db
    .select({ id: followUps.id })
    .from(followUps)
    .where(
      and(
        eq(followUps.tenantId, ctx.actor.tenantId),
        sql`${followUps.attachments} @> ${JSON.stringify([{ url }])}::jsonb`,
        visibility(ctx),
      ),
    )
    .limit(1)
  return !!row
}
