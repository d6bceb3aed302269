import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
import { type Ctx, systemActor } from '../access/actor.js'
import { createRepository } from '../access/data-access.js'
import { ALL_PERMISSIONS } from '../access/permissions.js'
import { writeAudit } from '../audit/service.js'
import type { Db, Tx } from '../db/index.js'
import { inTransaction } from '../db/tx.js'
import { AppError, duplicate, type FieldError, validationFailed } from '../http/errors.js'
import type { Locale } from '../i18n/messages.js'
import { roles, users } from '../org/schema.js'
import { assertUnitsVisible } from '../org/units.service.js'
import { assertRoles, createUsers } from '../org/users.service.js'
import { tenants } from '../tenancy/schema.js'
import './messages.js'
import { invitations } from './schema.js'
import { createSession } from './sessions.js'
import { invitationToken, parseInvitationToken, randomToken, sha256 } from './tokens.js'

/** Invitations are scoped like users: by the unit the new user will join. Revoked ones are deleted (audited). */
export const invitationsRepo = createRepository({
  table: invitations,
  objectType: 'invitation',
  scope: { unit: invitations.unitId },
  recycle: false,
  label: (r) => String(r.email),
  sortable: ['createdAt', 'email'],
})

export const INVITATION_DAYS = 7

export interface InvitationInput {
  email: string
  name?: string | null
  unitId: string
  roleIds: string[]
}

type InvitationRow = typeof invitations.$inferSelect

export function invitationStatus(r: Pick<InvitationRow, 'acceptedAt' | 'expiresAt'>, now = new Date()) {
  if (r.acceptedAt) return 'accepted' as const
  return new Date(r.expiresAt) <= now ? ('expired' as const) : ('pending' as const)
}

/** The public shape of an invitation: never the token or its hash. */
export function presentInvitation(row: Record<string, unknown>) {
  const r = row as InvitationRow
  const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null)
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    unitId: r.unitId,
    roleIds: r.roleIds,
    invitedBy: r.invitedBy,
    status: invitationStatus(r),
    expiresAt: iso(r.expiresAt)!,
    acceptedAt: iso(r.acceptedAt),
    createdAt: iso(r.createdAt)!,
  }
}

/**
 * Creates invitations (a batch; one is a batch of one). Each answer carries its token once: only
 * the sha256 is stored. An email that already has an account or a pending invitation is refused.
 */
export async function createInvitations(ctx: Ctx, inputs: InvitationInput[]) {
  return inTransaction(ctx, async (tx) => {
    const errors: FieldError[] = []
    const emails = inputs.map((i) => i.email.trim().toLowerCase())
    for (const [n, input] of inputs.entries()) {
      const prefix = inputs.length > 1 ? `[${n}].` : ''
      const check = (fn: () => Promise<void>) =>
        fn().catch((err) => {
          if (!(err instanceof AppError) || err.code !== 'validation_failed') throw err
          errors.push(...err.fields.map((f) => ({ ...f, field: `${prefix}${f.field}` })))
        })
      await check(() => assertUnitsVisible(tx, [input.unitId], 'unitId'))
      await check(() => assertRoles(tx, input.roleIds))
      if (emails.indexOf(emails[n]!) !== n) errors.push({ field: `${prefix}email`, code: 'not_unique' })
    }
    if (errors.length) throw validationFailed(errors)
    // Accounts and pending invitations across the whole workspace, not just the caller's scope.
    const [user] = await tx.db
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.tenantId, tx.actor.tenantId), inArray(sql`lower(${users.email})`, emails)))
      .limit(1)
    const [pending] = await tx.db
      .select({ email: invitations.email })
      .from(invitations)
      .where(
        and(
          eq(invitations.tenantId, tx.actor.tenantId),
          inArray(sql`lower(${invitations.email})`, emails),
          isNull(invitations.acceptedAt),
          gt(invitations.expiresAt, new Date()),
        ),
      )
      .limit(1)
    if (user || pending) throw duplicate('email')

    const secrets = inputs.map(() => randomToken())
    const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000)
    const rows = await invitationsRepo.insert(
      tx,
      inputs.map((i, n) => ({
        email: i.email.trim(),
        name: i.name?.trim() || null,
        unitId: i.unitId,
        roleIds: [...new Set(i.roleIds)],
        tokenHash: sha256(secrets[n]!),
        invitedBy: tx.actor.type === 'user' ? tx.actor.id : null,
        expiresAt,
      })),
    )
    return rows.map((r, n) => {
      const token = invitationToken(tx.actor.tenantId, secrets[n]!)
      return { ...presentInvitation(r), token, url: `/invite/${token}` }
    })
  })
}

export async function revokeInvitation(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await invitationsRepo.get(tx, id)
    await invitationsRepo.remove(tx, [id])
  })
}

const invalid = () => new AppError(404, 'invitation_invalid')

/** The invitation a token opens, while it is pending; 404 `invitation_invalid` otherwise (unknown, used, expired). */
async function pendingInvitation(db: Db | Tx, token: string, opts: { forUpdate?: boolean } = {}) {
  const parsed = parseInvitationToken(token)
  if (!parsed) throw invalid()
  let q = db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, parsed.tenantId),
        eq(invitations.tokenHash, sha256(parsed.secret)),
        isNull(invitations.acceptedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .$dynamic()
  if (opts.forUpdate) q = q.for('update')
  const [inv] = await q
  if (!inv) throw invalid()
  const [tenant] = await db.select().from(tenants).where(eq(tenants.id, parsed.tenantId))
  if (!tenant || tenant.deletedAt) throw invalid()
  return { inv, tenant }
}

/** What the accept page shows before the invitee chooses a password (public). */
export async function describeInvitation(db: Db, token: string) {
  const { inv, tenant } = await pendingInvitation(db, token)
  return {
    email: inv.email,
    name: inv.name,
    workspace: { name: tenant.name, slug: tenant.slug },
    expiresAt: inv.expiresAt.toISOString(),
  }
}

/**
 * Accepts an invitation (public): creates the user in the invitation's unit with its roles, marks
 * it used and opens a session, all in one transaction. A token works once.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  input: { name?: string; password: string; ip?: string; userAgent?: string; locale: Locale },
) {
  return db.transaction(async (txDb) => {
    const { inv, tenant } = await pendingInvitation(txDb, token, { forUpdate: true })
    const sys: Ctx = {
      db: txDb,
      inTx: true,
      actor: { ...systemActor(tenant.id, ALL_PERMISSIONS), name: 'invitation' },
      locale: input.locale,
      ip: input.ip,
    }
    const name = input.name?.trim() || inv.name
    if (!name) throw validationFailed([{ field: 'name', code: 'required' }])
    // Roles deleted since the invitation was sent are dropped rather than blocking the invitee.
    const roleIds = inv.roleIds.length
      ? (
          await txDb
            .select({ id: roles.id })
            .from(roles)
            .where(and(eq(roles.tenantId, tenant.id), inArray(roles.id, inv.roleIds)))
        ).map((r) => r.id)
      : []
    const [user] = await createUsers(
      sys,
      [{ email: inv.email, name, unitId: inv.unitId, roleIds, password: input.password }],
      { requireCustom: false },
    )
    await txDb
      .update(invitations)
      .set({ acceptedAt: new Date() })
      .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.id, inv.id)))
    await writeAudit({ ...sys, actor: { ...sys.actor, type: 'user', id: user!.id, name } }, [
      {
        action: 'accept',
        objectType: 'invitation',
        objectId: inv.id,
        summary: inv.email,
        after: { userId: user!.id },
      },
    ])
    const session = await createSession(txDb, {
      tenantId: tenant.id,
      userId: user!.id,
      ip: input.ip,
      userAgent: input.userAgent,
    })
    const [row] = await txDb
      .select()
      .from(users)
      .where(and(eq(users.tenantId, tenant.id), eq(users.id, user!.id)))
    return { tenant, user: row!, session }
  })
}
