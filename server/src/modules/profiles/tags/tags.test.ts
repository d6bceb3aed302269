/**
 * Tags over HTTP: the taxonomy (groups, tags, colours, unique names, optimistic concurrency),
 * deleting what is in use (confirmation, history, audit), tagging persons, leads and customers in
 * the caller's scope, exclusive groups, the tag history and customer 360's tags.
 */
import { describe, expect, it } from 'vitest'
import { salesSuite } from '../../sales/opportunities/fixture.js'
import { customerOf, leadOf } from './fixture.js'

const t = salesSuite()
const db = () => t.kit.haina.database.pool
let seq = 0

const group = async (body: Record<string, unknown> = {}) => {
  const res = await t.call(t.kit.a.admin, 'POST', '/api/v1/tag-groups', { name: `标签组${seq++}`, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const tag = async (groupId: string, body: Record<string, unknown> = {}) => {
  const res = await t.call(t.kit.a.admin, 'POST', '/api/v1/tags', { groupId, name: `标签${seq++}`, ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const tagging = (as = t.kit.a.admin, body: Record<string, unknown>) =>
  t.call(as, 'POST', '/api/v1/tagging', body)
const tagsOf = async (personId: string, as = t.kit.a.admin) => {
  const res = await t.call(as, 'GET', `/api/v1/persons/${personId}/tags`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json().items as {
    id: string
    name: string
    source: string
    auto: boolean
    addedByName: string
  }[]
}
const events = async (personId: string) =>
  (
    await db().query(
      `select tag_id, action, source, actor_id, detail from tag_events where tenant_id = $1 and person_id = $2 order by at, id`,
      [t.kit.a.tenantId, personId],
    )
  ).rows

describe('tag taxonomy', () => {
  it('creates groups and tags with colours, refuses taken names (409 naming name) and stale versions', async () => {
    const g = await group({ name: '人生阶段', color: '#FF0000', exclusive: true, sortOrder: 2 })
    expect(g).toMatchObject({ name: '人生阶段', color: '#ff0000', exclusive: true, sortOrder: 2, tags: [] })
    const dup = await t.call(t.kit.a.admin, 'POST', '/api/v1/tag-groups', { name: '人生阶段' }, 'en')
    expect(dup.statusCode).toBe(409)
    expect(dup.json()).toMatchObject({
      code: 'duplicate',
      errors: [
        {
          field: 'name',
          code: 'tag_group_name_taken',
          message: 'A tag group named “人生阶段” already exists',
        },
      ],
    })
    const badColour = await t.call(t.kit.a.admin, 'POST', '/api/v1/tag-groups', {
      name: '颜色',
      color: 'rainbow',
    })
    expect(badColour.statusCode).toBe(400)
    expect(badColour.json().errors).toEqual([
      expect.objectContaining({ field: 'color', code: 'tag_invalid_color' }),
    ])

    const mom = await tag(g.id, { name: '宝妈', color: 'magenta', description: '有 0–3 岁孩子' })
    expect(mom).toMatchObject({
      name: '宝妈',
      color: 'magenta',
      groupName: '人生阶段',
      personCount: 0,
      ruleEnabled: false,
    })
    const again = await t.call(t.kit.a.admin, 'POST', '/api/v1/tags', { groupId: g.id, name: '宝妈' })
    expect(again.statusCode).toBe(409)
    expect(again.json().errors[0]).toMatchObject({ field: 'name', code: 'tag_name_taken' })
    // The same name in another group is another tag.
    const other = await group()
    await tag(other.id, { name: '宝妈' })
    const unknownGroup = await t.call(t.kit.a.admin, 'POST', '/api/v1/tags', {
      groupId: '00000000-0000-7000-8000-000000000000',
      name: 'x',
    })
    expect(unknownGroup.json().errors[0]).toMatchObject({ field: 'groupId', code: 'unknown_tag_group' })

    const renamed = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/tags/${mom.id}`, {
      name: '新手妈妈',
      sortOrder: 5,
      version: mom.version,
    })
    expect(renamed.statusCode, renamed.body).toBe(200)
    expect(renamed.json()).toMatchObject({ name: '新手妈妈', sortOrder: 5, version: mom.version + 1 })
    const stale = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/tags/${mom.id}`, {
      name: 'x',
      version: mom.version,
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json()).toMatchObject({
      code: 'conflict',
      current: { name: '新手妈妈', version: mom.version + 1 },
    })
    const staleGroup = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/tag-groups/${g.id}`, {
      name: 'y',
      version: g.version + 3,
    })
    expect(staleGroup.statusCode).toBe(409)
    expect(staleGroup.json().current.name).toBe('人生阶段')
    const groupRenamed = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/tag-groups/${g.id}`, {
      description: '人生阶段，单选',
      version: g.version,
    })
    expect(groupRenamed.json()).toMatchObject({
      description: '人生阶段，单选',
      tags: [expect.objectContaining({ name: '新手妈妈' })],
    })

    // Listing: sort order, then name; tags with person counts. Another workspace sees nothing of it.
    const list = (await t.call(t.kit.a.admin, 'GET', '/api/v1/tag-groups')).json().items
    expect(list.find((x: { id: string }) => x.id === g.id).tags).toEqual([
      expect.objectContaining({ id: mom.id, personCount: 0 }),
    ])
    expect((await t.call(t.kit.b.admin, 'GET', '/api/v1/tag-groups')).json().items).toEqual([])
    expect((await t.call(t.kit.b.admin, 'GET', `/api/v1/tags/${mom.id}`)).statusCode).toBe(404)
    expect((await t.call(t.kit.b.admin, 'PATCH', `/api/v1/tags/${mom.id}`, { name: 'b' })).statusCode).toBe(
      404,
    )

    // Audited: created and changed.
    const { rows } = await db().query(
      `select action, object_type from audit_log where tenant_id = $1 and object_id = any($2) order by at, id`,
      [t.kit.a.tenantId, [g.id, mom.id]],
    )
    expect(rows.map((r) => `${r.object_type}:${r.action}`)).toEqual(
      expect.arrayContaining(['tag_group:create', 'tag:create', 'tag:update', 'tag_group:update']),
    )
  })

  it('lets only profiles.configure change the taxonomy', async () => {
    const g = await group()
    expect((await t.call(t.w.as.seller, 'GET', '/api/v1/tag-groups')).statusCode).toBe(200)
    expect((await t.call(t.w.as.seller, 'POST', '/api/v1/tag-groups', { name: 'x' })).statusCode).toBe(403)
    expect(
      (await t.call(t.w.as.seller, 'POST', '/api/v1/tags', { groupId: g.id, name: 'x' })).statusCode,
    ).toBe(403)
    expect((await t.call(t.w.as.seller, 'DELETE', `/api/v1/tag-groups/${g.id}`)).statusCode).toBe(403)
  })
})

describe('tagging', () => {
  it('tags leads and customers through their person, within the caller’s scope; no-ops are not history', async () => {
    const g = await group({ name: `客户价值${seq++}` })
    const vip = await tag(g.id, { name: 'VIP' })
    const mine = await leadOf(t.kit.a, { name: '张伟' }, t.w.user.seller)
    const theirs = await leadOf(t.kit.a, { name: '李娜' }, t.w.user.sellerB)
    const res = await tagging(t.w.as.seller, {
      subjectType: 'lead',
      ids: [mine.leadId, theirs.leadId, 'not-an-id'],
      add: [vip.id],
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({
      updated: 1,
      added: 1,
      skipped: [
        { id: theirs.leadId, reason: 'not_found' },
        { id: 'not-an-id', reason: 'not_found' },
      ],
    })
    const held = await tagsOf(mine.personId, t.w.as.seller)
    expect(held).toEqual([
      expect.objectContaining({
        id: vip.id,
        name: 'VIP',
        source: 'bulk',
        auto: false,
        addedByName: 'seller',
      }),
    ])
    expect(await tagsOf(theirs.personId)).toEqual([])
    // The seller does not see the other seller's person either.
    expect((await t.call(t.w.as.seller, 'GET', `/api/v1/persons/${theirs.personId}/tags`)).statusCode).toBe(
      404,
    )
    expect(
      (await tagging(t.w.as.seller, { subjectType: 'person', ids: [theirs.personId], add: [vip.id] })).json(),
    ).toMatchObject({ updated: 0, skipped: [{ id: theirs.personId, reason: 'not_found' }] })

    // Adding a tag already held changes nothing and writes no history; one id is a manual tagging.
    const again = await tagging(t.w.as.seller, { subjectType: 'person', ids: [mine.personId], add: [vip.id] })
    expect(again.json()).toMatchObject({ updated: 1, added: 0 })
    expect(await events(mine.personId)).toEqual([
      expect.objectContaining({ tag_id: vip.id, action: 'added', source: 'bulk', actor_id: t.w.user.seller }),
    ])
    const off = await tagging(t.w.as.seller, { subjectType: 'lead', ids: [mine.leadId], remove: [vip.id] })
    expect(off.json()).toMatchObject({ updated: 1, removed: 1 })
    expect((await events(mine.personId)).at(-1)).toMatchObject({
      action: 'removed',
      source: 'manual',
      detail: { subjectType: 'lead', subjectId: mine.leadId },
    })
    // One audit entry per call.
    const audit = await db().query(
      `select action, summary, after from audit_log where tenant_id = $1 and object_type = 'tagging' and actor_id = $2 order by at, id`,
      [t.kit.a.tenantId, t.w.user.seller],
    )
    expect(audit.rows.length).toBe(4)
    expect(audit.rows[0]).toMatchObject({
      action: 'tag',
      after: expect.objectContaining({
        subjectType: 'lead',
        count: 1,
        add: [{ id: vip.id, name: 'VIP' }],
        skipped: 2,
      }),
    })

    // Bad input names the field.
    const bad = await tagging(t.kit.a.admin, {
      subjectType: 'lead',
      ids: [mine.leadId],
      add: ['00000000-0000-7000-8000-000000000000'],
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().errors).toEqual([expect.objectContaining({ field: 'add[0]', code: 'unknown_tag' })])
    const both = await tagging(t.kit.a.admin, {
      subjectType: 'lead',
      ids: [mine.leadId],
      add: [vip.id],
      remove: [vip.id],
    })
    expect(both.json().errors).toEqual([
      expect.objectContaining({ field: 'remove[0]', code: 'tag_in_add_and_remove' }),
    ])
    expect((await tagging(t.kit.a.admin, { subjectType: 'lead', ids: [mine.leadId] })).statusCode).toBe(400)
    const tooMany = await tagging(t.kit.a.admin, {
      subjectType: 'lead',
      ids: Array.from({ length: 1001 }, (_, i) => String(i)),
      add: [vip.id],
    })
    expect(tooMany.statusCode).toBe(400)
    // A tag of another workspace is unknown.
    expect(
      (await tagging(t.kit.b.admin, { subjectType: 'person', ids: [mine.personId], add: [vip.id] }))
        .statusCode,
    ).toBe(400)
  })

  it('gives a customer without a person one (kind, name, region copied) so its tags live on the person', async () => {
    const g = await group()
    const key = await tag(g.id, { name: '重点客户' })
    const phone = `13${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`
    const org = await customerOf(t.kit.a, {
      name: '上海海纳母婴用品有限公司',
      regionCode: '310000',
      phone: '021-61234567',
    })
    const person = await customerOf(t.kit.a, { name: '王芳', kind: 'individual', phone })
    const res = await tagging(t.kit.a.admin, { subjectType: 'customer', ids: [org, person], add: [key.id] })
    expect(res.json()).toMatchObject({ updated: 2, added: 2, personsCreated: 2, skipped: [] })
    const { rows } = await db().query(
      `select c.id as customer_id, p.kind, p.name, p.company, p.region_code, p.id as person_id
       from customers c join persons p on p.tenant_id = c.tenant_id and p.id = c.person_id
       where c.tenant_id = $1 and c.id = any($2)`,
      [t.kit.a.tenantId, [org, person]],
    )
    const orgPerson = rows.find((r) => r.customer_id === org)!
    expect(orgPerson).toMatchObject({
      kind: 'organisation',
      name: '上海海纳母婴用品有限公司',
      region_code: '310000',
    })
    expect(rows.find((r) => r.customer_id === person)).toMatchObject({
      kind: 'person',
      name: '王芳',
      company: null,
    })
    expect((await tagsOf(orgPerson.person_id)).map((x) => x.name)).toEqual(['重点客户'])
    // The person is known by the customer's phone: a lead with it later reaches the same person.
    const { rows: ids } = await db().query(
      `select kind, value from person_identities where tenant_id = $1 and person_id = $2`,
      [t.kit.a.tenantId, orgPerson.person_id],
    )
    expect(ids).toEqual([{ kind: 'phone', value: '+862161234567' }])
    // Tagging it again reuses the linked person.
    const again = await tagging(t.kit.a.admin, { subjectType: 'customer', ids: [org], add: [key.id] })
    expect(again.json()).toMatchObject({ updated: 1, added: 0, personsCreated: 0 })

    // Customer 360 shows the person's tags.
    const c360 = await t.call(t.kit.a.admin, 'GET', `/api/v1/customers/${org}/360`)
    expect(c360.statusCode, c360.body).toBe(200)
    expect(c360.json().tags).toEqual([
      expect.objectContaining({ id: key.id, name: '重点客户', groupId: g.id, source: 'bulk', auto: false }),
    ])
    const plain = await customerOf(t.kit.a)
    expect((await t.call(t.kit.a.admin, 'GET', `/api/v1/customers/${plain}/360`)).json().tags).toEqual([])
  })

  it('keeps one tag per exclusive group: adding another takes the first off (history source exclusive)', async () => {
    const stage = await group({ name: `人生阶段${seq++}`, exclusive: true })
    const [single, married, parent] = [
      await tag(stage.id, { name: '单身' }),
      await tag(stage.id, { name: '已婚' }),
      await tag(stage.id, { name: '宝妈' }),
    ]
    const free = await group()
    const sports = await tag(free.id, { name: '运动' })
    const p = await leadOf(t.kit.a)
    await tagging(t.kit.a.admin, { subjectType: 'person', ids: [p.personId], add: [single.id, sports.id] })
    const swap = await tagging(t.kit.a.admin, { subjectType: 'person', ids: [p.personId], add: [married.id] })
    expect(swap.json()).toMatchObject({ added: 1, removed: 1 })
    expect((await tagsOf(p.personId)).map((x) => x.name).sort()).toEqual(['已婚', '运动'])
    expect((await events(p.personId)).slice(-2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tag_id: single.id, action: 'removed', source: 'exclusive' }),
        expect.objectContaining({ tag_id: married.id, action: 'added', source: 'manual' }),
      ]),
    )
    // Two options of one exclusive group at once: 400 naming the second.
    const two = await tagging(t.kit.a.admin, {
      subjectType: 'person',
      ids: [p.personId],
      add: [single.id, parent.id],
    })
    expect(two.statusCode).toBe(400)
    expect(two.json().errors).toEqual([
      expect.objectContaining({ field: 'add[1]', code: 'tag_exclusive_conflict' }),
    ])

    // A group whose persons carry several of its tags cannot become exclusive.
    const hobbies = await group()
    const [a, b] = [await tag(hobbies.id), await tag(hobbies.id)]
    await tagging(t.kit.a.admin, { subjectType: 'person', ids: [p.personId], add: [a.id, b.id] })
    const exclusive = await t.call(t.kit.a.admin, 'PATCH', `/api/v1/tag-groups/${hobbies.id}`, {
      exclusive: true,
    })
    expect(exclusive.statusCode).toBe(409)
    expect(exclusive.json()).toMatchObject({
      code: 'tag_group_not_exclusive',
      errors: [expect.objectContaining({ field: 'exclusive' })],
    })
  })

  it('lists a person’s tag history newest first with actor names, page by page', async () => {
    const g = await group()
    const [x, y, z] = [await tag(g.id), await tag(g.id), await tag(g.id)]
    const p = await leadOf(t.kit.a, {}, t.w.user.seller)
    for (const id of [x.id, y.id, z.id])
      await tagging(t.w.as.seller, { subjectType: 'person', ids: [p.personId], add: [id] })
    await tagging(t.kit.a.admin, { subjectType: 'person', ids: [p.personId], remove: [x.id] })
    const first = await t.call(t.w.as.seller, 'GET', `/api/v1/persons/${p.personId}/tag-history?limit=3`)
    expect(first.statusCode, first.body).toBe(200)
    const page1 = first.json()
    expect(page1.items.map((e: { tagName: string; action: string }) => `${e.action}:${e.tagName}`)).toEqual([
      `removed:${x.name}`,
      `added:${z.name}`,
      `added:${y.name}`,
    ])
    expect(page1.items[0]).toMatchObject({
      actorId: t.kit.a.adminId,
      actorName: 'Alpha 管理员',
      source: 'manual',
    })
    expect(page1.items[1]).toMatchObject({ actorName: 'seller' })
    const second = (
      await t.call(
        t.w.as.seller,
        'GET',
        `/api/v1/persons/${p.personId}/tag-history?limit=3&cursor=${page1.nextCursor}`,
      )
    ).json()
    expect(second.items.map((e: { tagName: string }) => e.tagName)).toEqual([x.name])
    expect(second.nextCursor).toBeNull()
    expect(
      (await t.call(t.w.as.sellerB, 'GET', `/api/v1/persons/${p.personId}/tag-history`)).statusCode,
    ).toBe(404)
    expect((await t.call(t.kit.b.admin, 'GET', `/api/v1/persons/${p.personId}/tag-history`)).statusCode).toBe(
      404,
    )
  })
})

describe('deleting tags in use', () => {
  it('asks for confirmation with counts, then removes the tags from their carriers with history and audit', async () => {
    const g = await group({ name: `兴趣${seq++}` })
    const [a, b] = [await tag(g.id, { name: '美妆' }), await tag(g.id, { name: '数码' })]
    const p1 = await leadOf(t.kit.a)
    const p2 = await leadOf(t.kit.a)
    await tagging(t.kit.a.admin, { subjectType: 'person', ids: [p1.personId, p2.personId], add: [a.id] })
    await tagging(t.kit.a.admin, { subjectType: 'person', ids: [p1.personId], add: [b.id] })
    // A segment and another tag's rule name tag b.
    await db().query(
      `insert into segments (tenant_id, id, name, kind, conditions) values ($1, gen_random_uuid(), $2, 'dynamic', $3)`,
      [
        t.kit.a.tenantId,
        `人群${seq++}`,
        JSON.stringify({ match: 'all', conditions: [{ field: 'tags', op: 'in', value: [b.id] }] }),
      ],
    )
    const other = await group()
    await db().query(
      `insert into tags (tenant_id, id, group_id, name, rule) values ($1, gen_random_uuid(), $2, $3, $4)`,
      [
        t.kit.a.tenantId,
        other.id,
        `规则${seq++}`,
        JSON.stringify({ field: 'tags', op: 'in', value: [b.id] }),
      ],
    )

    const refused = await t.call(t.kit.a.admin, 'DELETE', `/api/v1/tag-groups/${g.id}`, undefined, 'en')
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({
      code: 'tag_group_in_use',
      tags: 2,
      persons: 2,
      segments: 1,
      rules: 1,
    })
    expect(refused.json().detail).toContain('2 tags carried by 2 people')
    const tagRefused = await t.call(t.kit.a.admin, 'DELETE', `/api/v1/tags/${a.id}`)
    expect(tagRefused.json()).toMatchObject({ code: 'tag_in_use', persons: 2, segments: 0, rules: 0 })
    expect((await tagsOf(p1.personId)).length).toBe(2)

    const done = await t.call(t.kit.a.admin, 'DELETE', `/api/v1/tag-groups/${g.id}?confirm=true`)
    expect(done.statusCode, done.body).toBe(200)
    expect(done.json()).toEqual({ tags: 2, persons: 2, segments: 1, rules: 1 })
    expect(await tagsOf(p1.personId)).toEqual([])
    expect((await events(p1.personId)).slice(-2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ tag_id: a.id, action: 'removed', source: 'group_deleted' }),
        expect.objectContaining({ tag_id: b.id, action: 'removed', source: 'group_deleted' }),
      ]),
    )
    // The history survives the tag: its name was copied in.
    const hist = (await t.call(t.kit.a.admin, 'GET', `/api/v1/persons/${p2.personId}/tag-history`)).json()
    expect(hist.items[0]).toMatchObject({ tagName: '美妆', action: 'removed', source: 'group_deleted' })
    const { rows } = await db().query(
      `select action, after from audit_log where tenant_id = $1 and object_type = 'tag_group' and object_id = $2 order by at, id`,
      [t.kit.a.tenantId, g.id],
    )
    expect(rows.map((r) => r.action)).toEqual(['create', 'delete', 'untag'])
    expect(rows[2].after).toEqual({ tags: 2, persons: 2, segments: 1, rules: 1 })
    const bin = await db().query(`select data from recycle_bin where tenant_id = $1 and object_id = $2`, [
      t.kit.a.tenantId,
      g.id,
    ])
    expect(bin.rows[0].data._dependents.tags.length).toBe(2)
    // Marked for re-evaluation (rules and segments).
    const changed = await db().query(
      `select person_id from profile_changes where tenant_id = $1 and person_id = any($2)`,
      [t.kit.a.tenantId, [p1.personId, p2.personId]],
    )
    expect(changed.rows.length).toBe(2)

    // Unused: deleted at once.
    const empty = await group()
    const unused = await tag(empty.id)
    expect((await t.call(t.kit.a.admin, 'DELETE', `/api/v1/tags/${unused.id}`)).json()).toEqual({
      tags: 1,
      persons: 0,
      segments: 0,
      rules: 0,
    })
    expect((await t.call(t.kit.a.admin, 'DELETE', `/api/v1/tag-groups/${empty.id}`)).statusCode).toBe(200)
    expect((await t.call(t.kit.a.admin, 'DELETE', `/api/v1/tag-groups/${empty.id}`)).statusCode).toBe(404)
  })
})
