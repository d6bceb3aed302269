/**
 * Handover (工作移交): preview counts, then every lead (open and closed), pending follow-up
 * reminders, pool memberships and assignment-rule places move to the receiver, with a reason,
 * history, audit and a notification; bad input names the field.
 */
import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { auditLog } from '../../platform/audit/schema.js'
import { notifications } from '../../platform/notifications/schema.js'
import { users } from '../../platform/org/schema.js'
import { createUsers } from '../../platform/org/users.service.js'
import { followUps } from './followups.schema.js'
import { leadMoves, leadPoolMembers, leadPools } from './pools.schema.js'
import { assignmentRules } from './routing.schema.js'
import { leads } from './schema.js'

let kit: Kit
const user: Record<string, string> = {}
const leadIds: string[] = []
let poolA = ''
let poolB = ''
let ruleId = ''

const api = (method: string, url: string, payload?: unknown) =>
  kit.req(kit.a.admin, { method: method as 'POST', url: `/api/v1${url}`, payload: payload as object })

beforeAll(async () => {
  kit = await createKit()
  const sys = kit.a.sys
  const t = kit.a.tenantId
  for (const key of ['leaver', 'heir', 'other', 'gone']) {
    const [u] = await createUsers(sys, [
      {
        email: `${key}@handover.test`,
        name: key,
        unitId: kit.a.rootUnitId,
        roleIds: [],
        password: 'Passw0rd!',
      },
    ])
    user[key] = u!.id
  }
  await sys.db.update(users).set({ status: 'disabled' }).where(eq(users.id, user.gone!))
  const base = { tenantId: t, unitId: kit.a.rootUnitId, orgId: kit.a.rootUnitId, ownerId: user.leaver }
  const rows = await sys.db
    .insert(leads)
    .values([
      { ...base, name: '开放一', status: 'following' },
      { ...base, name: '开放二', status: 'assigned' },
      { ...base, name: '已关闭', status: 'closed' },
      { ...base, name: '别人的', ownerId: user.other },
    ])
    .returning({ id: leads.id })
  leadIds.push(...rows.map((r) => r.id))
  const fu = (nextAt: Date | null, ownerId = user.leaver!) => ({
    tenantId: t,
    subjectType: 'lead' as const,
    subjectId: leadIds[0]!,
    type: 'call' as const,
    content: '电话沟通',
    nextAt,
    ownerId,
    unitId: kit.a.rootUnitId,
    orgId: kit.a.rootUnitId,
  })
  await sys.db
    .insert(followUps)
    .values([
      fu(new Date(Date.now() + 86_400_000)),
      fu(new Date(Date.now() + 2 * 86_400_000)),
      fu(new Date(Date.now() - 86_400_000)),
      fu(null),
      fu(new Date(Date.now() + 86_400_000), user.other),
    ])
  const pools = await sys.db
    .insert(leadPools)
    .values([
      { tenantId: t, name: '子池甲', kind: 'sub', unitId: kit.a.rootUnitId, orgId: kit.a.rootUnitId },
      { tenantId: t, name: '子池乙', kind: 'sub', unitId: kit.a.rootUnitId, orgId: kit.a.rootUnitId },
    ])
    .returning({ id: leadPools.id })
  poolA = pools[0]!.id
  poolB = pools[1]!.id
  await sys.db.insert(leadPoolMembers).values([
    { tenantId: t, poolId: poolA, userId: user.leaver!, role: 'admin' },
    { tenantId: t, poolId: poolB, userId: user.leaver!, role: 'member' },
    // The heir is already a plain member of pool A: they become its admin.
    { tenantId: t, poolId: poolA, userId: user.heir!, role: 'member' },
  ])
  const [rule] = await sys.db
    .insert(assignmentRules)
    .values({
      tenantId: t,
      name: '轮询',
      members: [
        { userId: user.other!, weight: 1 },
        { userId: user.leaver!, weight: 3, capacity: 50 },
      ],
    })
    .returning({ id: assignmentRules.id })
  ruleId = rule!.id
})
afterAll(() => kit.close())

describe('handover', () => {
  it('refuses bad input naming the field', async () => {
    const same = await api('POST', '/handovers/preview', { fromUserId: user.leaver, toUserId: user.leaver })
    expect(same.statusCode).toBe(400)
    expect(same.json().errors[0]).toMatchObject({ field: 'toUserId', code: 'routing_same_user' })
    const disabled = await api('POST', '/handovers', {
      fromUserId: user.leaver,
      toUserId: user.gone,
      reason: '离职',
    })
    expect(disabled.json().errors[0]).toMatchObject({ field: 'toUserId', code: 'routing_owner_inactive' })
    const foreign = await api('POST', '/handovers', {
      fromUserId: kit.b.adminId,
      toUserId: user.heir,
      reason: '离职',
    })
    expect(foreign.statusCode).toBe(400)
    expect(foreign.json().errors[0].field).toBe('fromUserId')
    const noReason = await api('POST', '/handovers', {
      fromUserId: user.leaver,
      toUserId: user.heir,
      reason: ' ',
    })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().errors[0].field).toBe('reason')
  })

  it('previews the counts', async () => {
    const res = await api('POST', '/handovers/preview', { fromUserId: user.leaver, toUserId: user.heir })
    expect(res.statusCode, res.body).toBe(200)
    // Customers, opportunities and tasks add their own steps (zero here).
    expect(res.json().counts).toMatchObject({
      lead: 3,
      followUpReminder: 2,
      poolMembership: 2,
      assignmentRule: 1,
    })
  })

  it('moves everything with a reason, history, audit and a notification', async () => {
    const res = await api('POST', '/handovers', {
      fromUserId: user.leaver,
      toUserId: user.heir,
      reason: '离职交接',
    })
    expect(res.statusCode, res.body).toBe(201)
    const h = res.json()
    expect(h).toMatchObject({
      fromUserId: user.leaver,
      fromUserName: 'leaver',
      toUserId: user.heir,
      toUserName: 'heir',
      reason: '离职交接',
      counts: expect.objectContaining({ lead: 3, followUpReminder: 2, poolMembership: 2, assignmentRule: 1 }),
    })
    const sys = kit.a.sys
    const owned = await sys.db
      .select({ id: leads.id, ownerId: leads.ownerId, status: leads.status })
      .from(leads)
      .where(inArray(leads.id, leadIds))
    expect(owned.filter((l) => l.ownerId === user.heir)).toHaveLength(3)
    expect(owned.find((l) => l.status === 'closed')!.ownerId).toBe(user.heir)
    expect(owned.filter((l) => l.ownerId === user.other)).toHaveLength(1)
    const moves = await sys.db
      .select()
      .from(leadMoves)
      .where(and(inArray(leadMoves.leadId, leadIds), eq(leadMoves.kind, 'handover')))
    expect(moves).toHaveLength(3)
    expect(moves.every((m) => m.fromOwnerId === user.leaver && m.reason === '离职交接')).toBe(true)
    // Pending reminders moved; past and unscheduled ones stay as written.
    const fus = await sys.db.select().from(followUps).where(eq(followUps.tenantId, kit.a.tenantId))
    expect(fus.filter((f) => f.ownerId === user.heir)).toHaveLength(2)
    expect(fus.filter((f) => f.ownerId === user.leaver)).toHaveLength(2)
    const members = await sys.db
      .select()
      .from(leadPoolMembers)
      .where(eq(leadPoolMembers.tenantId, kit.a.tenantId))
    expect(members.filter((m) => m.userId === user.leaver)).toEqual([])
    expect(
      members
        .filter((m) => m.userId === user.heir)
        .map((m) => [m.poolId, m.role])
        .sort(),
    ).toEqual(
      [
        [poolA, 'admin'],
        [poolB, 'member'],
      ].sort(),
    )
    const [rule] = await sys.db.select().from(assignmentRules).where(eq(assignmentRules.id, ruleId))
    expect(rule!.members).toEqual([
      { userId: user.other, weight: 1 },
      { userId: user.heir, weight: 3, capacity: 50 },
    ])
    const audits = await sys.db
      .select({ objectType: auditLog.objectType, action: auditLog.action })
      .from(auditLog)
      .where(
        and(
          eq(auditLog.tenantId, kit.a.tenantId),
          inArray(auditLog.action, ['handover', 'create', 'update']),
        ),
      )
    const kinds = audits.map((a) => `${a.objectType}:${a.action}`)
    expect(kinds).toContain('handover:create')
    expect(kinds.filter((k) => k === 'lead:handover')).toHaveLength(3)
    expect(kinds.filter((k) => k === 'follow_up:handover')).toHaveLength(2)
    expect(kinds).toContain('lead_pool:handover')
    expect(kinds).toContain('assignment_rule:update')
    const [note] = await sys.db.select().from(notifications).where(eq(notifications.userId, user.heir!))
    expect(note).toMatchObject({ kind: 'handover', subjectId: h.id })
    expect(note!.title).toContain('leaver')

    const list = await api('GET', `/handovers?userId=${user.heir}`)
    expect(list.statusCode).toBe(200)
    expect(list.json().map((x: { id: string }) => x.id)).toEqual([h.id])
    // Nothing left to hand over.
    const after = await api('POST', '/handovers/preview', { fromUserId: user.leaver, toUserId: user.heir })
    expect(after.json().counts).toMatchObject({
      lead: 0,
      followUpReminder: 0,
      poolMembership: 0,
      assignmentRule: 0,
    })
  })

  it('drops the leaver from a rule the receiver is already in', async () => {
    await kit.a.sys.db
      .update(assignmentRules)
      .set({ members: [{ userId: user.other! }, { userId: user.heir! }] })
      .where(eq(assignmentRules.id, ruleId))
    const res = await api('POST', '/handovers', {
      fromUserId: user.other,
      toUserId: user.heir,
      reason: '调岗',
    })
    expect(res.statusCode, res.body).toBe(201)
    const [rule] = await kit.a.sys.db.select().from(assignmentRules).where(eq(assignmentRules.id, ruleId))
    expect(rule!.members).toEqual([{ userId: user.heir }])
  })
})
