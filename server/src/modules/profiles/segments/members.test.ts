/** Segment members: static lists (add, remove, file import), scoped and masked lists, export, the stable paging API. */
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { describe, expect, it } from 'vitest'
import type { TestSession } from '../../../../test/kit.js'
import { multipart } from '../../../../test/multipart.js'
import {
  all,
  makeCustomer,
  makeLead,
  makePerson,
  makePersons,
  makeTag,
  makeUser,
  segmentsSuite,
  setPerson,
  storedMembers,
  uniq,
} from './fixture.js'
import { iterateSegmentMembers, segmentMembers } from './members.service.js'

const t = segmentsSuite()
const admin = () => t.kit.a.admin

const create = async (body: Record<string, unknown> = { kind: 'static' }) => {
  const res = await t.call(admin(), 'POST', '/api/v1/segments', { name: uniq('人群'), ...body })
  expect(res.statusCode, res.body).toBe(201)
  return res.json()
}
const add = (as: TestSession, id: string, subjectType: string, ids: string[]) =>
  t.call(as, 'POST', `/api/v1/segments/${id}/members`, { subjectType, ids })

const upload = multipart
const importFile = (id: string, name: string, data: Buffer) =>
  t.kit.req(admin(), { method: 'POST', url: `/api/v1/segments/${id}/members/import`, ...upload(name, data) })

const sizes = async (id: string) =>
  (await t.call(admin(), 'GET', `/api/v1/segments/${id}/sizes`)).json().items as {
    size: number
    added: number
    removed: number
    trigger: string
  }[]

describe('static members', () => {
  it('adds persons, leads’ and customers’ persons, and removes them; dynamic segments refuse', async () => {
    const s = await create()
    const [p1, p2, p3] = await Promise.all([1, 2, 3].map(() => makePerson(t.kit.a)))
    const lead = await makeLead(t.kit.a, p2!)
    const bare = await makeLead(t.kit.a, null)
    const customer = await makeCustomer(t.kit.a, p3!)
    const foreign = await makePerson(t.kit.b)

    const r1 = await add(admin(), s.id, 'person', [p1!, foreign, 'nope'])
    expect(r1.statusCode, r1.body).toBe(200)
    expect(r1.json()).toEqual({
      size: 1,
      added: 1,
      removed: 0,
      skipped: [
        { id: foreign, reason: 'not_found' },
        { id: 'nope', reason: 'not_found' },
      ],
    })
    const r2 = await add(admin(), s.id, 'lead', [lead, bare])
    expect(r2.json()).toMatchObject({ size: 2, added: 1, skipped: [{ id: bare, reason: 'no_person' }] })
    const r3 = await add(admin(), s.id, 'customer', [customer])
    expect(r3.json()).toMatchObject({ size: 3, added: 1, skipped: [] })
    // Adding again changes nothing.
    expect((await add(admin(), s.id, 'person', [p1!])).json()).toMatchObject({ size: 3, added: 0 })
    expect(await storedMembers(t.kit.a, s.id)).toEqual([p1!, p2!, p3!].sort())

    const del = await t.call(admin(), 'DELETE', `/api/v1/segments/${s.id}/members`, {
      personIds: [p2!, foreign],
    })
    expect(del.statusCode, del.body).toBe(200)
    expect(del.json()).toEqual({ size: 2, added: 0, removed: 1 })
    expect((await t.call(admin(), 'GET', `/api/v1/segments/${s.id}`)).json().memberCount).toBe(2)
    expect((await sizes(s.id)).map((x) => [x.size, x.added, x.removed, x.trigger])).toEqual([
      [0, 0, 0, 'manual'],
      [1, 1, 0, 'manual'],
      [2, 1, 0, 'manual'],
      [3, 1, 0, 'manual'],
      [2, 0, 1, 'manual'],
    ])
    const { rows } = await t.kit.haina.database.pool.query(
      `select action from audit_log where object_id = $1 order by at, id`,
      [s.id],
    )
    expect(rows.map((r) => r.action)).toEqual([
      'create',
      'add_members',
      'add_members',
      'add_members',
      'add_members',
      'remove_members',
    ])

    // Deleted to the recycle bin and restored, a static segment comes back with its list and history.
    expect((await t.call(admin(), 'DELETE', `/api/v1/segments/${s.id}`)).statusCode).toBe(204)
    expect(await storedMembers(t.kit.a, s.id)).toEqual([])
    const bin = await t.kit.haina.database.pool.query(`select id from recycle_bin where object_id = $1`, [
      s.id,
    ])
    const restore = await t.call(admin(), 'POST', `/api/v1/recycle-bin/${bin.rows[0].id}/restore`)
    expect(restore.statusCode, restore.body).toBeLessThan(300)
    expect(await storedMembers(t.kit.a, s.id)).toEqual([p1!, p3!].sort())
    expect(await sizes(s.id)).toHaveLength(5)

    const dyn = await create({
      kind: 'dynamic',
      conditions: all({ field: 'person.company', op: 'eq', value: uniq() }),
    })
    const refused = await add(admin(), dyn.id, 'person', [p1!])
    expect(refused.statusCode).toBe(409)
    expect(refused.json().code).toBe('segment_not_static')
    expect(
      (
        await t.call(t.kit.b.admin, 'POST', `/api/v1/segments/${s.id}/members`, {
          subjectType: 'person',
          ids: [foreign],
        })
      ).statusCode,
    ).toBe(404)
  })

  it('adds only what a salesperson sees', async () => {
    const seller = await makeUser(t.kit, t.kit.a, ['segments.view', 'segments.edit'])
    const s = await create()
    const mine = await makePerson(t.kit.a)
    const theirs = await makePerson(t.kit.a)
    const myLead = await makeLead(t.kit.a, mine, { ownerId: seller.id })
    const theirLead = await makeLead(t.kit.a, theirs)
    const res = await add(seller.session, s.id, 'lead', [myLead, theirLead])
    expect(res.json()).toMatchObject({ added: 1, skipped: [{ id: theirLead, reason: 'not_found' }] })
    const direct = await add(seller.session, s.id, 'person', [theirs])
    expect(direct.json()).toMatchObject({ added: 0, skipped: [{ id: theirs, reason: 'not_found' }] })
    // Removing a person the seller does not see does nothing.
    await add(admin(), s.id, 'person', [theirs])
    const del = await t.call(seller.session, 'DELETE', `/api/v1/segments/${s.id}/members`, {
      personIds: [theirs],
    })
    expect(del.json()).toMatchObject({ removed: 0, size: 2 })
  })

  it('imports members from a GBK CSV and an XLSX file, reporting rows naming no one', async () => {
    const s = await create()
    const a = await makePerson(t.kit.a, { mobile: '+8613800138001' })
    const b = await makePerson(t.kit.a, { mobile: '+8613900139002', email: 'li.na@example.com' })
    const c = await makePerson(t.kit.a, { email: 'wang@example.com' })
    const merged = await makePerson(t.kit.a, { mobile: '+8613700137003' })
    await setPerson(t.kit.a, merged, { mergedIntoId: c })
    await makePerson(t.kit.b, { mobile: '+8613600136004' })

    const csv = [
      '姓名,手机号',
      '张三,138 0013 8001',
      '李娜,+86 139-0013-9002',
      '空号,13500000000',
      '乱写,abc',
      ',',
      '王五,008613700137003',
      'B的人,13600136004',
    ].join('\r\n')
    const res = await importFile(s.id, '名单.csv', iconv.encode(csv, 'gbk'))
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      rows: 6,
      added: 3,
      removed: 0,
      size: 3,
      notFound: [
        { row: 4, value: '13500000000' },
        { row: 5, value: 'abc' },
        { row: 8, value: '13600136004' },
      ],
      notFoundCount: 3,
    })
    // The merged person's phone lands on the survivor.
    expect(await storedMembers(t.kit.a, s.id)).toEqual([a, b, c].sort())

    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('名单')
    ws.addRow(['备注', 'E-mail'])
    ws.addRow(['x', 'LI.NA@example.com'])
    ws.addRow(['y', 'nobody@example.com'])
    ws.addRow(['z', a])
    const xlsx = Buffer.from(await wb.xlsx.writeBuffer())
    const s2 = await create()
    const res2 = await importFile(s2.id, 'list.xlsx', xlsx)
    expect(res2.statusCode, res2.body).toBe(200)
    expect(res2.json()).toMatchObject({
      rows: 3,
      added: 2,
      size: 2,
      notFound: [{ row: 3, value: 'nobody@example.com' }],
    })
    expect(await storedMembers(t.kit.a, s2.id)).toEqual([a, b].sort())
    expect((await sizes(s2.id)).at(-1)).toMatchObject({ size: 2, added: 2, trigger: 'manual' })

    // Another workspace's segment: 404, nothing added.
    const fromB = await t.kit.req(t.kit.b.admin, {
      method: 'POST',
      url: `/api/v1/segments/${s2.id}/members/import`,
      ...upload('list.xlsx', xlsx),
    })
    expect(fromB.statusCode).toBe(404)

    const noColumn = await importFile(s.id, 'x.csv', Buffer.from('姓名,年龄\r\n张三,30\r\n'))
    expect(noColumn.statusCode).toBe(400)
    expect(noColumn.json().errors[0]).toMatchObject({ field: 'file', code: 'segment_import_no_column' })
    const empty = await importFile(s.id, 'x.csv', Buffer.from(''))
    expect(empty.statusCode).toBe(400)
    expect(empty.json().code).toBe('import_empty_file')
    const dyn = await create({
      kind: 'dynamic',
      conditions: all({ field: 'person.company', op: 'eq', value: uniq() }),
    })
    expect((await importFile(dyn.id, 'x.csv', Buffer.from('手机\r\n13800138001\r\n'))).statusCode).toBe(409)
  })
})

describe('members list and export', () => {
  it('lists only the members a salesperson sees, with the mobile masked without pii.view', async () => {
    const seller = await makeUser(t.kit, t.kit.a, ['segments.view'])
    const s = await create()
    const mine = await makePerson(t.kit.a, {
      name: '张伟',
      company: '海纳',
      regionCode: '310115',
      mobile: '+8613800138000',
    })
    const theirs = await makePerson(t.kit.a, { name: '别人' })
    await makeLead(t.kit.a, mine, { ownerId: seller.id })
    await makeLead(t.kit.a, theirs)
    const tag = await makeTag(t.kit.a, '母婴', [mine])
    await add(admin(), s.id, 'person', [mine, theirs])

    const res = await t.call(seller.session, 'GET', `/api/v1/segments/${s.id}/members`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      items: [
        {
          personId: mine,
          name: '张伟',
          company: '海纳',
          regionCode: '310115',
          regionName: '上海市 / 浦东新区',
          mobile: '138****8000',
          tags: [{ id: tag, name: '母婴', color: '#f50' }],
          addedAt: expect.any(String),
        },
      ],
      nextCursor: null,
    })
    const full = await t.call(admin(), 'GET', `/api/v1/segments/${s.id}/members?limit=1`)
    expect(full.json().items).toHaveLength(1)
    expect(full.json().nextCursor).not.toBeNull()
    const next = await t.call(
      admin(),
      'GET',
      `/api/v1/segments/${s.id}/members?limit=1&cursor=${full.json().nextCursor}`,
    )
    const seen = [...full.json().items, ...next.json().items]
    expect(seen.map((m: { personId: string }) => m.personId)).toEqual([mine, theirs].sort())
    expect(seen.find((m: { personId: string }) => m.personId === mine).mobile).toBe('+8613800138000')
    expect(next.json().nextCursor).toBeNull()
  })

  it('exports CSV and XLSX formula-safe, masked without pii.view, streamed in batches and audited', async () => {
    const exporter = await makeUser(t.kit, t.kit.a, ['segments.view', 'segments.export'], 'all')
    const s = await create({ kind: 'static', name: uniq('导出=人群') })
    const evil = await makePerson(t.kit.a, {
      name: '=HYPERLINK("http://evil.example","点我")',
      company: '+cmd',
      regionCode: '11',
      mobile: '+8613800138111',
      email: 'zhang@example.com',
    })
    await makeTag(t.kit.a, '@危险', [evil])
    const others = await makePersons(t.kit.a, 1205)
    await add(admin(), s.id, 'person', [evil])
    for (let i = 0; i < others.length; i += 1000)
      await add(admin(), s.id, 'person', others.slice(i, i + 1000))

    const csv = await t.call(exporter.session, 'GET', `/api/v1/segments/${s.id}/export?format=csv`)
    expect(csv.statusCode, csv.body).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent(`${s.name}.csv`)}`,
    )
    const text = csv.body
    expect(text.startsWith('\ufeff姓名,公司,地区,手机,邮箱,标签,加入时间\r\n')).toBe(true)
    const lines = text.slice(1).trim().split('\r\n')
    expect(lines).toHaveLength(1 + 1206)
    const evilLine = lines.find((l) => l.includes('HYPERLINK'))!
    expect(
      evilLine.startsWith(
        `"'=HYPERLINK(""http://evil.example"",""点我"")",'+cmd,北京市,138****8111,z***@example.com,'@危险,`,
      ),
    ).toBe(true)
    const { rows } = await t.kit.haina.database.pool.query(
      `select actor_id, after from audit_log where object_id = $1 and action = 'export'`,
      [s.id],
    )
    expect(rows).toEqual([{ actor_id: exporter.id, after: { format: 'csv', rows: 1206 } }])

    const en = await t.call(admin(), 'GET', `/api/v1/segments/${s.id}/export?format=xlsx`, undefined, 'en')
    expect(en.statusCode).toBe(200)
    expect(en.headers['content-type']).toContain('spreadsheetml')
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(en.rawPayload as unknown as ArrayBuffer)
    const sheet = wb.worksheets[0]!
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      'Name',
      'Company',
      'Region',
      'Mobile',
      'Email',
      'Tags',
      'Added at',
    ])
    expect(sheet.actualRowCount).toBe(1207)
    let found = false
    sheet.eachRow((row) => {
      if (String(row.getCell(1).value).includes('HYPERLINK')) {
        found = true
        expect(row.getCell(1).value).toBe(`'=HYPERLINK("http://evil.example","点我")`)
        expect(row.getCell(2).value).toBe("'+cmd")
        // The admin holds pii.view.
        expect(row.getCell(4).value).toBe('13800138111')
        expect(row.getCell(6).value).toBe("'@危险")
      }
    })
    expect(found).toBe(true)
    expect((await t.call(t.kit.b.admin, 'GET', `/api/v1/segments/${s.id}/export`)).statusCode).toBe(404)
    const noRight = await makeUser(t.kit, t.kit.a, ['segments.view'])
    expect((await t.call(noRight.session, 'GET', `/api/v1/segments/${s.id}/export`)).statusCode).toBe(403)
  })
})

describe('segmentMembers (the stable API)', () => {
  it('pages by person id, stable while members change elsewhere in the list', async () => {
    const s = await create()
    const ids: string[] = []
    for (let i = 0; i < 25; i++) ids.push(await makePerson(t.kit.a))
    await add(admin(), s.id, 'person', ids)
    const sorted = [...ids].sort()
    const ctx = t.kit.a.sys

    const p1 = await segmentMembers(ctx, s.id, { limit: 10 })
    expect(p1.personIds).toEqual(sorted.slice(0, 10))
    // A member already returned leaves and a new one joins: later pages neither skip nor repeat.
    await t.call(admin(), 'DELETE', `/api/v1/segments/${s.id}/members`, { personIds: [sorted[3]!] })
    const late = await makePerson(t.kit.a)
    await add(admin(), s.id, 'person', [late])
    const p2 = await segmentMembers(ctx, s.id, { after: p1.next, limit: 10 })
    expect(p2.personIds).toEqual(sorted.slice(10, 20))
    const p3 = await segmentMembers(ctx, s.id, { after: p2.next, limit: 10 })
    expect(p3.personIds).toEqual([...sorted.slice(20), late])
    expect(p3.next).toBeNull()

    // Merged-away persons are never members.
    await setPerson(t.kit.a, sorted[0]!, { mergedIntoId: sorted[1]! })
    const batches: string[][] = []
    for await (const batch of iterateSegmentMembers(ctx, s.id, 7)) batches.push(batch)
    expect(batches.map((b) => b.length)).toEqual([7, 7, 7, 3])
    expect(batches.flat()).toEqual([...sorted.slice(1, 3), ...sorted.slice(4), late])

    await expect(segmentMembers(t.kit.b.sys, s.id)).rejects.toMatchObject({ status: 404 })
  })
})
