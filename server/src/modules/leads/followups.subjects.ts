import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
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

/** Statuses a first follow-up moves on: somebody now works the lead. */
const UNWORKED = ['new', 'assigned']

registerFollowUpSubject({
  type: 'lead',
  async load(ctx, id, opts = {}) {
    const row = await leadsRepo.get(ctx, id, { raw: true, forUpdate: opts.forUpdate })
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
    return sql`exists (select 1 from ${leads} where ${and(
      leadsRepo.visible(ctx),
      eq(leads.id, followUps.subjectId),
      eq(leads.orgId, followUps.orgId),
    )})`
  },
  async afterChange(ctx, subjectId, change) {
    const mine = and(
      eq(followUps.tenantId, ctx.actor.tenantId),
      eq(followUps.subjectType, 'lead'),
      eq(followUps.subjectId, subjectId),
    )
    // The pending next step is the one the latest follow-up set: each follow-up restates the plan.
    const contactAt = change.contact?.at.toISOString()
    await ctx.db
      .update(leads)
      .set({
        lastFollowUpAt: sql`(select max(${followUps.occurredAt}) from ${followUps} where ${mine})`,
        nextFollowUpAt: sql`(select ${followUps.nextAt} from ${followUps} where ${mine}
          order by ${followUps.occurredAt} desc, ${followUps.id} desc limit 1)`,
        // Never before the owner got it: time to first contact is measured from assignment.
        ...(contactAt
          ? {
              firstContactAt: sql`coalesce(${leads.firstContactAt}, greatest(${contactAt}::timestamptz, ${leads.assignedAt}))`,
            }
          : {}),
        updatedAt: new Date(),
      })
      .where(and(eq(leads.tenantId, ctx.actor.tenantId), eq(leads.id, subjectId)))
    if (change.contact && UNWORKED.includes(change.contact.status))
      await moveLeads(ctx, [subjectId], { status: 'following' }, { kind: 'status' })
  },
})
