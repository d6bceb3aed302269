/**
 * Test fixture for the segment tests: persons with identities, leads and customers pointing at
 * them, channels, tags, and a salesperson (data scope 'self', segments permissions, no pii.view).
 * Rows are written straight to their tables: the other modules test their own services.
 */
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll } from 'vitest'
import { createKit, type Kit, type TestSession, type Workspace } from '../../../../test/kit.js'
import { createRole } from '../../../platform/org/roles.service.js'
import { orgUnits } from '../../../platform/org/schema.js'
import { createUsers } from '../../../platform/org/users.service.js'
import { channels } from '../../intake/schema.js'
import { leads } from '../../leads/schema.js'
import { leadIntents, personIdentities, persons } from '../../quality/schema.js'
import { customers } from '../../sales/customers/schema.js'
import { personTags, tagGroups, tags } from '../schema.js'

let seq = 0
export const uniq = (prefix = 'x') => `${prefix}${process.pid}-${seq++}-${Date.now().toString(36)}`

async function orgOf(ws: Workspace, unitId = ws.rootUnitId) {
  const [u] = await ws.sys.db
    .select({ orgId: orgUnits.orgId })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, ws.tenantId), eq(orgUnits.id, unitId)))
  return u!.orgId
}

export interface PersonInput {
  name?: string | null
  company?: string | null
  regionCode?: string | null
  /** E.164 as the data factory stores it: +8613800138000 */
  mobile?: string
  email?: string
}

export async function makePerson(ws: Workspace, input: PersonInput = {}): Promise<string> {
  const [p] = await ws.sys.db
    .insert(persons)
    .values({
      tenantId: ws.tenantId,
      name: input.name === undefined ? `人员${seq++}` : input.name,
      company: input.company ?? null,
      regionCode: input.regionCode ?? null,
    })
    .returning({ id: persons.id })
  const ids: { kind: 'mobile' | 'email'; value: string }[] = []
  if (input.mobile) ids.push({ kind: 'mobile', value: input.mobile })
  if (input.email) ids.push({ kind: 'email', value: input.email })
  if (ids.length)
    await ws.sys.db
      .insert(personIdentities)
      .values(ids.map((i) => ({ tenantId: ws.tenantId, personId: p!.id, namespace: '', ...i })))
  return p!.id
}

/** `n` persons in one statement, named `<prefix><i>`. */
export async function makePersons(ws: Workspace, n: number, prefix = '成员'): Promise<string[]> {
  const rows = await ws.sys.db
    .insert(persons)
    .values(Array.from({ length: n }, (_, i) => ({ tenantId: ws.tenantId, name: `${prefix}${i}` })))
    .returning({ id: persons.id })
  return rows.map((r) => r.id)
}

export async function setPerson(ws: Workspace, id: string, values: Partial<typeof persons.$inferInsert>) {
  await ws.sys.db
    .update(persons)
    .set(values)
    .where(and(eq(persons.tenantId, ws.tenantId), eq(persons.id, id)))
}

/** A lead of `personId` owned by `ownerId` (the admin by default), optionally from a channel. */
export async function makeLead(
  ws: Workspace,
  personId: string | null,
  opts: { ownerId?: string; channelId?: string | null } = {},
): Promise<string> {
  const [l] = await ws.sys.db
    .insert(leads)
    .values({
      tenantId: ws.tenantId,
      name: `线索${seq++}`,
      personId,
      channelId: opts.channelId ?? null,
      ownerId: opts.ownerId ?? ws.adminId,
      unitId: ws.rootUnitId,
      orgId: await orgOf(ws),
    })
    .returning({ id: leads.id })
  return l!.id
}

export async function makeCustomer(ws: Workspace, personId: string | null, ownerId = ws.adminId) {
  const [c] = await ws.sys.db
    .insert(customers)
    .values({
      tenantId: ws.tenantId,
      name: `客户${seq++}`,
      personId,
      ownerId,
      unitId: ws.rootUnitId,
      orgId: await orgOf(ws),
    })
    .returning({ id: customers.id })
  return c!.id
}

export async function makeChannel(ws: Workspace, name: string): Promise<string> {
  const [c] = await ws.sys.db
    .insert(channels)
    .values({
      tenantId: ws.tenantId,
      kind: 'manual',
      name,
      code: uniq('ch'),
      unitId: ws.rootUnitId,
      orgId: await orgOf(ws),
    })
    .returning({ id: channels.id })
  return c!.id
}

export async function makeIntent(ws: Workspace, personId: string, channelId: string) {
  await ws.sys.db
    .insert(leadIntents)
    .values({ tenantId: ws.tenantId, personId, channelId, outcome: 'merged', payload: {} })
}

/** A tag (in a fresh group) carried by the persons given. */
export async function makeTag(ws: Workspace, name: string, personIds: string[], color = '#f50') {
  const [g] = await ws.sys.db
    .insert(tagGroups)
    .values({ tenantId: ws.tenantId, name: uniq('组') })
    .returning({ id: tagGroups.id })
  const [t] = await ws.sys.db
    .insert(tags)
    .values({ tenantId: ws.tenantId, groupId: g!.id, name, color })
    .returning({ id: tags.id })
  if (personIds.length)
    await ws.sys.db.insert(personTags).values(
      personIds.map((personId) => ({
        tenantId: ws.tenantId,
        personId,
        tagId: t!.id,
        source: 'manual' as const,
      })),
    )
  return t!.id
}

/** A user with a custom role (data scope 'self' unless given), signed in. */
export async function makeUser(
  kit: Kit,
  ws: Workspace,
  permissions: string[],
  dataScope: 'self' | 'all' = 'self',
): Promise<{ id: string; session: TestSession }> {
  const role = await createRole(ws.sys, { name: uniq('角色'), permissions, dataScope })
  const [u] = await createUsers(ws.sys, [
    {
      email: `${uniq('seg')}@segments.test`,
      name: '销售',
      unitId: ws.rootUnitId,
      roleIds: [String(role.id)],
      password: 'Passw0rd!2026',
    },
  ])
  return { id: u!.id, session: await kit.login(ws.tenantId, u!.id) }
}

/** Person ids stored as members of a segment, sorted. */
export async function storedMembers(ws: Workspace, segmentId: string): Promise<string[]> {
  const res = await ws.sys.db.execute(
    sql`select person_id from segment_members where tenant_id = ${ws.tenantId} and segment_id = ${segmentId} order by person_id`,
  )
  return res.rows.map((r) => String((r as Record<string, unknown>).person_id))
}

export interface SegmentsSuite {
  kit: Kit
  call(as: TestSession, method: string, url: string, payload?: unknown, lang?: string): ReturnType<Kit['req']>
}

/** A test file's kit (two workspaces), made before its tests and closed after them. */
export function segmentsSuite(): SegmentsSuite {
  const t = {
    call: (as, method, url, payload, lang = 'zh-CN') =>
      t.kit.req(as, {
        method: method as 'GET',
        url,
        payload: payload as Record<string, unknown>,
        headers: { 'accept-language': lang },
      }),
  } as SegmentsSuite
  beforeAll(async () => {
    t.kit = await createKit()
  })
  afterAll(() => t.kit.close())
  return t
}

/** A condition tree: all of `conditions`. */
export const all = (...conditions: unknown[]) => ({ match: 'all', conditions })
