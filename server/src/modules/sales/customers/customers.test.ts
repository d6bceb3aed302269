/**
 * Customers over HTTP: CRUD with optimistic concurrency and the recycle bin, field checks (credit
 * code checksum, region, phone), data scope and tenants, duplicate check, group structure, deletes
 * refused while orders or opportunities refer to a customer, handover and follow-ups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../../test/kit.js'
import { type CustomerWorld, creditCode, customerWorld } from './fixture.js'

let kit: Kit
let w: CustomerWorld
beforeAll(async () => {
  kit = await createKit()
  w = await customerWorld(kit)
})
afterAll(() => kit.close())

let n = 100
const audits = async (id: string) =>
  (
    await w.sql('select action from audit_log where object_type = $1 and object_id = $2 order by at, id', [
      'customer',
      id,
    ])
  ).map((r) => r.action)

describe('customers', () => {
  it('creates, reads, updates with a version and deletes to the recycle bin', async () => {
    const code = creditCode(n++)
    const res = await w.call(w.as.seller!, 'POST', '/api/v1/customers', {
      name: '上海海纳科技有限公司',
      industry: '软件',
      size: '50-199',
      regionCode: '310115',
      creditCode: code.toLowerCase(),
      phone: '021-6123 4567',
      email: ' Info@HaiNa.test ',
      level: 'key',
      source: '展会',
    })
    expect(res.statusCode, res.body).toBe(201)
    const c = res.json()
    expect(c).toMatchObject({
      kind: 'organisation',
      creditCode: code,
      phone: '+862161234567',
      email: 'info@haina.test',
      ownerId: w.user.seller,
      ownerName: 'seller',
      unitId: w.unit.shTeam,
      orgId: w.unit.sh,
      customerGroup: 'A',
      version: 1,
    })
    const [stored] = await w.sql('select name_key from customers where id = $1', [c.id])
    expect(stored.name_key).toBe('海纳科技')

    const got = await w.call(w.as.seller!, 'GET', `/api/v1/customers/${c.id}`)
    expect(got.statusCode).toBe(200)
    expect(got.json().name).toBe('上海海纳科技有限公司')

    const ok = await w.call(w.as.seller!, 'PATCH', `/api/v1/customers/${c.id}`, {
      level: 'strategic',
      version: 1,
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ level: 'strategic', version: 2 })
    const stale = await w.call(w.as.seller!, 'PATCH', `/api/v1/customers/${c.id}`, {
      level: 'small',
      version: 1,
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json()).toMatchObject({ code: 'conflict', current: { level: 'strategic', version: 2 } })
    const noVersion = await w.call(w.as.seller!, 'PATCH', `/api/v1/customers/${c.id}`, { level: 'small' })
    expect(noVersion.statusCode).toBe(400)

    const del = await w.call(w.as.director!, 'DELETE', `/api/v1/customers/${c.id}`)
    expect(del.statusCode, del.body).toBe(204)
    expect((await w.call(w.as.director!, 'GET', `/api/v1/customers/${c.id}`)).statusCode).toBe(404)
    const bin = await w.sql('select object_type from recycle_bin where object_id = $1', [c.id])
    expect(bin).toEqual([{ object_type: 'customer' }])
    expect(await audits(c.id)).toEqual(['create', 'update', 'delete'])
  })

  it('names the field of a bad credit code, region, phone or email', async () => {
    const good = creditCode(n++)
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const res = await w.call(
      w.as.seller!,
      'POST',
      '/api/v1/customers',
      { name: '校验公司', creditCode: bad, regionCode: '999999', phone: '12345', email: 'nope' },
      { 'accept-language': 'en' },
    )
    expect(res.statusCode).toBe(400)
    const errors = res.json().errors
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'creditCode', code: 'invalid_credit_code' }),
        expect.objectContaining({ field: 'regionCode', code: 'invalid_region' }),
        expect.objectContaining({ field: 'phone', code: 'invalid_phone' }),
        expect.objectContaining({ field: 'email', code: 'invalid_email' }),
      ]),
    )
    expect(errors.find((e: { field: string }) => e.field === 'creditCode').message).toContain(
      'check character',
    )
    const zh = await w.call(w.as.seller!, 'POST', '/api/v1/customers', { name: 'x', creditCode: bad })
    expect(zh.json().errors[0].message).toContain('统一社会信用代码无效')
  })

  it('shows a salesperson only their customers; managers their tree; another tenant nothing', async () => {
    const mine = await w.customer(w.as.seller!, { name: `张三商行${n++}` })
    const theirs = await w.customer(w.as.seller2!, { name: `李四商行${n++}` })
    const list = (await w.call(w.as.seller!, 'GET', '/api/v1/customers?limit=200')).json().items
    const ids = list.map((c: { id: string }) => c.id)
    expect(ids).toContain(mine.id)
    expect(ids).not.toContain(theirs.id)
    expect(list.every((c: { ownerId: string }) => c.ownerId === w.user.seller)).toBe(true)
    expect((await w.call(w.as.seller!, 'GET', `/api/v1/customers/${theirs.id}`)).statusCode).toBe(404)
    expect(
      (await w.call(w.as.seller!, 'PATCH', `/api/v1/customers/${theirs.id}`, { level: 'x', version: 1 }))
        .statusCode,
    ).toBe(404)
    expect((await w.call(w.as.eastManager!, 'GET', `/api/v1/customers/${theirs.id}`)).statusCode).toBe(200)
    expect((await w.call(w.as.southSeller!, 'GET', `/api/v1/customers/${mine.id}`)).statusCode).toBe(404)
    expect((await w.call(kit.b.admin, 'GET', `/api/v1/customers/${mine.id}`)).statusCode).toBe(404)
    expect((await w.call(kit.b.admin, 'DELETE', `/api/v1/customers/${mine.id}`)).statusCode).toBe(404)
    // A salesperson places customers only with themselves.
    const other = await w.call(w.as.seller!, 'POST', '/api/v1/customers', {
      name: `越权${n++}`,
      ownerId: w.user.seller2,
    })
    expect(other.statusCode).toBe(400)
    expect(other.json().errors[0].field).toBe('ownerId')
    // Filters and search.
    const q = await w.call(w.as.eastManager!, 'GET', `/api/v1/customers?q=${encodeURIComponent('李四商行')}`)
    expect(q.json().items.map((c: { id: string }) => c.id)).toContain(theirs.id)
    const f = await w.call(
      w.as.eastManager!,
      'GET',
      `/api/v1/customers?filter=${encodeURIComponent(JSON.stringify({ ownerId: w.user.seller2 }))}`,
    )
    expect(f.json().items.every((c: { ownerId: string }) => c.ownerId === w.user.seller2)).toBe(true)
    // A number typed as written at home (trunk 0, separators) finds the one stored as +86….
    const landline = await w.customer(w.as.eastManager!, { name: `座机客户${n++}`, phone: '021-6888 1234' })
    const byPhone = await w.call(
      w.as.eastManager!,
      'GET',
      `/api/v1/customers?q=${encodeURIComponent('(021) 68881234')}`,
    )
    expect(byPhone.json().items.map((c: { id: string }) => c.id)).toEqual([landline.id])
  })

  it('refuses likely duplicates unless allowDuplicate, naming the candidates', async () => {
    const code = creditCode(n++)
    const first = await w.customer(w.as.seller!, { name: '深蓝数据科技（上海）有限公司', creditCode: code })
    const byCode = await w.call(w.as.seller2!, 'POST', '/api/v1/customers', {
      name: '完全不同的名字',
      creditCode: code,
    })
    expect(byCode.statusCode).toBe(409)
    expect(byCode.json()).toMatchObject({
      code: 'customer_duplicate',
      params: {
        candidates: [
          expect.objectContaining({
            id: first.id,
            ownerName: 'seller',
            matchedBy: 'creditCode',
            visible: false,
          }),
        ],
      },
    })
    expect(byCode.json().detail).toContain('深蓝数据科技（上海）有限公司')
    const byName = await w.call(w.as.seller!, 'POST', '/api/v1/customers', {
      name: '上海深蓝數據科技股份有限公司',
    })
    expect(byName.statusCode).toBe(409)
    expect(byName.json().params.candidates[0]).toMatchObject({
      id: first.id,
      matchedBy: 'name',
      visible: true,
    })
    const similar = await w.call(w.as.seller!, 'POST', '/api/v1/customers', { name: '深蓝数据科技研究院' })
    expect(similar.statusCode).toBe(201)
    // Long names differing by a character are ≥ 80 % trigram-similar.
    const tower = await w.customer(w.as.seller!, { name: '东方明珠广播电视塔文化旅游发展有限公司' })
    const close = await w.call(w.as.seller!, 'POST', '/api/v1/customers', {
      name: '东方明珠广播电视塔文化旅游发展部有限公司',
    })
    expect(close.statusCode).toBe(409)
    expect(close.json().params.candidates[0]).toMatchObject({ id: tower.id, matchedBy: 'similarName' })
    const allowed = await w.call(w.as.seller!, 'POST', '/api/v1/customers', {
      name: '深蓝数据科技有限公司',
      allowDuplicate: true,
    })
    expect(allowed.statusCode).toBe(201)

    // A contact's mobile identifies its customer too.
    const contact = await w.call(w.as.seller!, 'POST', '/api/v1/contacts', {
      customerId: first.id,
      name: '王经理',
      mobile: '13912340001',
    })
    expect(contact.statusCode, contact.body).toBe(201)
    const byMobile = await w.call(w.as.seller!, 'POST', '/api/v1/customers', {
      kind: 'individual',
      name: '王个人',
      phone: '+86 139 1234 0001',
    })
    expect(byMobile.statusCode).toBe(409)
    expect(byMobile.json().params.candidates[0]).toMatchObject({ id: first.id, matchedBy: 'mobile' })

    // GET /customers/duplicates: only what the caller may see.
    const mineOnly = await w.call(
      w.as.seller2!,
      'GET',
      `/api/v1/customers/duplicates?creditCode=${code}&name=${encodeURIComponent('深蓝数据科技')}`,
    )
    expect(mineOnly.statusCode).toBe(200)
    expect(mineOnly.json().items).toEqual([])
    const seen = await w.call(w.as.eastManager!, 'GET', `/api/v1/customers/duplicates?mobile=13912340001`)
    expect(seen.json().items.map((c: { id: string }) => c.id)).toEqual([first.id])
  })

  it('keeps groups and subsidiaries without cycles and shows the structure', async () => {
    const group = await w.customer(w.as.seller!, { name: `海纳集团${n++}` })
    const sub = await w.customer(w.as.seller!, { name: `海纳华东${n++}`, parentId: group.id })
    const leaf = await w.customer(w.as.seller!, { name: `海纳上海${n++}`, parentId: sub.id })
    const cycle = await w.call(w.as.seller!, 'PATCH', `/api/v1/customers/${group.id}`, {
      parentId: leaf.id,
      version: group.version,
    })
    expect(cycle.statusCode).toBe(400)
    expect(cycle.json().errors).toEqual([
      expect.objectContaining({ field: 'parentId', code: 'customer_cycle' }),
    ])
    const self = await w.call(w.as.seller!, 'PATCH', `/api/v1/customers/${sub.id}`, {
      parentId: sub.id,
      version: sub.version,
    })
    expect(self.json().errors[0]).toMatchObject({ field: 'parentId', code: 'customer_cycle' })
    const unseen = await w.customer(w.as.seller2!, { name: `别人的集团${n++}` })
    const hidden = await w.call(w.as.seller!, 'POST', '/api/v1/customers', {
      name: `x${n++}`,
      parentId: unseen.id,
    })
    expect(hidden.json().errors[0]).toMatchObject({ field: 'parentId', code: 'unknown_customer' })

    const h = await w.call(w.as.seller!, 'GET', `/api/v1/customers/${leaf.id}/hierarchy`)
    expect(h.statusCode, h.body).toBe(200)
    expect(h.json().parents.map((p: { id: string }) => p.id)).toEqual([group.id, sub.id])
    const top = (await w.call(w.as.seller!, 'GET', `/api/v1/customers/${group.id}/hierarchy`)).json()
    expect(top.parents).toEqual([])
    expect(top.children).toEqual([expect.objectContaining({ id: sub.id, childCount: 1, visible: true })])
    const del = await w.call(w.as.director!, 'DELETE', `/api/v1/customers/${group.id}`)
    expect(del.statusCode).toBe(409)
    expect(del.json()).toMatchObject({ code: 'customer_in_use', params: { subsidiaries: 1 } })
  })

  it('refuses to delete a customer with orders or opportunities, naming them', async () => {
    const c = await w.customer(w.as.seller!, { name: `有订单的客户${n++}` })
    await w.sql(
      `insert into orders (tenant_id, id, number, customer_id, status, total, unit_id, org_id, owner_id)
       values ($1, gen_random_uuid(), $2, $3, 'completed', 10000, $4, $5, $6)`,
      [kit.a.tenantId, `SO-T-${n++}`, c.id, c.unitId, c.orgId, c.ownerId],
    )
    const res = await w.call(w.as.director!, 'DELETE', `/api/v1/customers/${c.id}`, undefined, {
      'accept-language': 'en',
    })
    expect(res.statusCode).toBe(409)
    expect(res.json()).toMatchObject({
      code: 'customer_in_use',
      params: { orders: 1, opportunities: 0, orderList: [expect.objectContaining({ status: 'completed' })] },
    })
    expect(res.json().detail).toContain('1 orders')
  })

  it('moves contacts with their customer: owner edits, assignment and handover', async () => {
    const c = await w.customer(w.as.seller!, { name: `随迁客户${n++}` })
    const ct = await w.call(w.as.seller!, 'POST', '/api/v1/contacts', {
      customerId: c.id,
      name: '随迁联系人',
    })
    expect(ct.json()).toMatchObject({ ownerId: w.user.seller, unitId: w.unit.shTeam })
    const moved = await w.call(w.as.eastManager!, 'PATCH', `/api/v1/customers/${c.id}`, {
      ownerId: w.user.seller2,
      version: c.version,
    })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(moved.json().ownerId).toBe(w.user.seller2)
    const [row] = await w.sql('select owner_id from contacts where id = $1', [ct.json().id])
    expect(row.owner_id).toBe(w.user.seller2)
    expect((await w.call(w.as.seller2!, 'GET', `/api/v1/contacts/${ct.json().id}`)).statusCode).toBe(200)
    expect((await w.call(w.as.seller!, 'GET', `/api/v1/contacts/${ct.json().id}`)).statusCode).toBe(404)

    const assign = await w.call(w.as.eastManager!, 'POST', '/api/v1/customers/assign', {
      ids: [c.id],
      ownerId: w.user.seller3,
    })
    expect(assign.json()).toEqual({ assigned: 1 })
    expect(await audits(c.id)).toEqual(['create', 'assign', 'assign'])
    // A salesperson may not assign (customers.assign).
    expect(
      (
        await w.call(w.as.seller3!, 'POST', '/api/v1/customers/assign', {
          ids: [c.id],
          ownerId: w.user.seller,
        })
      ).statusCode,
    ).toBe(403)

    const preview = await w.call(kit.a.admin, 'POST', '/api/v1/handovers/preview', {
      fromUserId: w.user.seller3,
      toUserId: w.user.seller,
    })
    expect(preview.json().counts.customer).toBeGreaterThanOrEqual(1)
    const handover = await w.call(kit.a.admin, 'POST', '/api/v1/handovers', {
      fromUserId: w.user.seller3,
      toUserId: w.user.seller,
      reason: '离职',
    })
    expect(handover.statusCode, handover.body).toBe(201)
    const [after] = await w.sql(
      'select c.owner_id, ct.owner_id as contact_owner from customers c join contacts ct on ct.customer_id = c.id where c.id = $1',
      [c.id],
    )
    expect(after).toEqual({ owner_id: w.user.seller, contact_owner: w.user.seller })
  })

  it('takes follow-ups and keeps its follow-up times', async () => {
    const c = await w.customer(w.as.seller!, { name: `跟进客户${n++}` })
    const next = new Date(Date.now() + 3 * 86_400_000).toISOString()
    const res = await w.call(w.as.seller!, 'POST', '/api/v1/follow-ups', {
      subjectType: 'customer',
      subjectId: c.id,
      type: 'visit',
      content: '拜访了采购部',
      nextAt: next,
    })
    expect(res.statusCode, res.body).toBe(201)
    const got = (await w.call(w.as.seller!, 'GET', `/api/v1/customers/${c.id}`)).json()
    expect(got.lastFollowUpAt).not.toBeNull()
    expect(new Date(got.nextFollowUpAt).toISOString()).toBe(next)
    const timeline = await w.call(
      w.as.seller!,
      'GET',
      `/api/v1/follow-ups?subjectType=customer&subjectId=${c.id}`,
    )
    expect(timeline.json().items).toHaveLength(1)
    expect(
      (
        await w.call(w.as.seller2!, 'POST', '/api/v1/follow-ups', {
          subjectType: 'customer',
          subjectId: c.id,
          type: 'call',
          content: '越权',
        })
      ).statusCode,
    ).toBe(404)
  })
})
