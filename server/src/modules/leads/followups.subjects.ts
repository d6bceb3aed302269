import { and, eq, getTableColumns, type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../platform/access/actor.js'
import type { Repository } from '../../platform/access/data-access.js'
import { type FollowUpSubject, followUps } from './followups.schema.js'
import { moveLeads } from './moves.service.js'
import { leads } from './schema.js'
import { leadsRepo } from './service.js'

/** What follow-ups need to know about the record they are about. */
export interface SubjectRecord {
  id: string
  name: string
  unitId: string
  orgId: string
  ownerId: string | null
  status: string
}

/**
 * One kind of record follow-ups can be about. Leads now; customers and opportunities register
 * themselves here when they exist, and follow-ups, timelines and reminders work for them unchanged.
 */
export interface FollowUpSubjectKind {
  type: FollowUpSubject
  /** The record as the caller may see it; 404 when it does not exist or lies outside the scope. */
  load(ctx: Ctx, id: string, opts?: { forUpdate?: boolean }): Promise<SubjectRecord>
  /**
   * SQL over a follow_ups row: true when the caller sees its subject and the follow-up was written
   * inside the org that holds the subject now (see followups.service.ts, "who sees a follow-up").
   */
  sharedWith(ctx: Ctx): SQL
  /**
   * Keeps the subject's summary columns right after its follow-ups changed (any of them written,
   * edited or deleted); `contact` when a new follow-up records a contact with the subject as it was
   * (first contact, status). Runs in the caller's transaction, which has authorised the change.
   */
  afterChange(ctx: Ctx, subjectId: string, change: { contact?: { at: Date; status: string } }): Promise<void>
}

const kinds = new Map<string, FollowUpSubjectKind>()
export function registerFollowUpSubject(kind: FollowUpSubjectKind): void {
  kinds.set(kind.type, kind)
}
export const followUpSubject = (type: string) => kinds.get(type)
export const followUpSubjectTypes = () => [...kinds.keys()]

/** The columns a followed-up table has: scope (org), and the follow-up summary it keeps. */
interface SubjectTable {
  tenantId: AnyPgColumn
  id: AnyPgColumn
  orgId: AnyPgColumn
  lastFollowUpAt: AnyPgColumn
  nextFollowUpAt: AnyPgColumn
}

/**
 * A follow-up subject over an owned, scoped table (leads, customers, opportunities): loads through
 * its repository (scope), shares follow-ups with whoever sees the record inside the org that
 * wrote them, and keeps the record's last and next follow-up times. `onChange` adds per-kind
 * columns to that update (a lead's first contact) and `onContact` reacts to a new contact.
 */
export function scopedFollowUpSubject(opts: {
  type: FollowUpSubject
  repo: Pick<Repository<PgTable>, 'get' | 'visible'>
  table: PgTable
  onChange?: (change: { contact?: { at: Date; status: string } }) => Record<string, SQL>
  onContact?: (ctx: Ctx, subjectId: string, contact: { at: Date; status: string }) => Promise<void>
}): FollowUpSubjectKind {
  const t = getTableColumns(opts.table) as unknown as SubjectTable
  return {
    type: opts.type,
    async load(ctx, id, o = {}) {
      const row = await opts.repo.get(ctx, id, { raw: true, forUpdate: o.forUpdate })
      return {
        id: row.id as string,
        name: row.name as string,
        unitId: row.unitId as string,
        orgId: row.orgId as string,
        ownerId: row.ownerId as string | null,
        status: row.status as string,
      }
    },
    sharedWith(ctx) {
      return sql`exists (select 1 from ${opts.table} where ${and(
        opts.repo.visible(ctx),
        eq(t.id, followUps.subjectId),
        eq(t.orgId, followUps.orgId),
      )})`
    },
    async afterChange(ctx, subjectId, change) {
      const mine = and(
        eq(followUps.tenantId, ctx.actor.tenantId),
        eq(followUps.subjectType, opts.type),
        eq(followUps.subjectId, subjectId),
      )
      // The pending next step is the one the latest follow-up set: each follow-up restates the plan.
      await (ctx.db as any)
        .update(opts.table)
        .set({
          lastFollowUpAt: sql`(select max(${followUps.occurredAt}) from ${followUps} where ${mine})`,
          nextFollowUpAt: sql`(select ${followUps.nextAt} from ${followUps} where ${mine}
            order by ${followUps.occurredAt} desc, ${followUps.id} desc limit 1)`,
          ...opts.onChange?.(change),
          updatedAt: new Date(),
        })
        .where(and(eq(t.tenantId, ctx.actor.tenantId), eq(t.id, subjectId)))
      if (change.contact && opts.onContact) await opts.onContact(ctx, subjectId, change.contact)
    },
  }
}

/** Statuses a first follow-up moves on: somebody now works the lead. */
const UNWORKED = ['new', 'assigned']

registerFollowUpSubject(
  scopedFollowUpSubject({
    type: 'lead',
    repo: leadsRepo,
    table: leads,
    // Never before the owner got it: time to first contact is measured from assignment.
    onChange: (change): Record<string, SQL> =>
      change.contact
        ? {
            firstContactAt: sql`coalesce(${leads.firstContactAt}, greatest(${change.contact.at.toISOString()}::timestamptz, ${leads.assignedAt}))`,
          }
        : {},
    onContact: async (ctx, subjectId, contact) => {
      if (UNWORKED.includes(contact.status))
        await moveLeads(ctx, [subjectId], { status: 'following' }, { kind: 'status' })
    },
  }),
)
