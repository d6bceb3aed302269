/** Audit log search and the recycle bin (restore, conflicts, purge) over HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { writeAudit } from './service.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const get = (url: string, session = kit.a.admin) => kit.req(session, { method: 'GET', url })
const f = (filter: object) => encodeURIComponent(JSON.stringify(filter))

describe('audit log', () => {
  it('filters by object, action, actor, time and text, newest first, with cursor paging', async () => {
    const start = new Date().toISOString()
    const ids: string[] = []
    for (const name of ['审计甲', '审计乙', '审计丙']) {
      const res = await kit.req(kit.a.admin, { method: 'POST', url: '/api/v1/leads', payload: { name } })
      ids.push(res.json().id)
    }
    await kit.req(kit.a.admin, { method: 'PATCH', url: `/api/v1/leads/${ids[0]}`, payload: { notes: '改' } })
    const creates = (
      await get(`/api/v1/audit-log?filter=${f({ objectType: 'lead', action: 'create', from: start })}`)
    ).json().items
    expect(creates.map((e: { summary: string }) => e.summary)).toEqual(['审计丙', '审计乙', '审计甲'])
    expect(creates[0]).toMatchObject({
      actorType: 'user',
      actorId: kit.a.adminId,
      objectType: 'lead',
      action: 'create',
    })
    const one = (await get(`/api/v1/audit-log?filter=${f({ objectId: ids[0] })}`)).json().items
    expect(one.map((e: { action: string }) => e.action)).toEqual(['update', 'create'])
    expect(one[0].before).toEqual({ notes: null })
    expect(one[0].after).toEqual({ notes: '改' })
    expect((await get(`/api/v1/audit-log?filter=${f({ q: '乙', from: start })}`)).json().items).toHaveLength(
      1,
    )
    expect(
      (
        await get(`/api/v1/audit-log?filter=${f({ actorId: kit.a.adminId, to: '2000-01-01T00:00:00Z' })}`)
      ).json().items,
    ).toEqual([])
    const p1 = (
      await get(`/api/v1/audit-log?limit=2&filter=${f({ objectType: 'lead', from: start })}`)
    ).json()
    expect(p1.items).toHaveLength(2)
    const p2 = (
      await get(
        `/api/v1/audit-log?limit=2&cursor=${p1.nextCursor}&filter=${f({ objectType: 'lead', from: start })}`,
      )
    ).json()
    expect(p2.items).toHaveLength(2)
    expect(p2.nextCursor).toBeNull()
    expect(new Set([...p1.items, ...p2.items].map((e: { id: string }) => e.id)).size).toBe(4)
    // Workspace B sees none of it.
    expect(
      (await get(`/api/v1/audit-log?filter=${f({ objectId: ids[0] })}`, kit.b.admin)).json().items,
    ).toEqual([])
  })
})

describe('recycle bin', () => {
  it('restores a deleted record with an audit entry, and purges for good', async () => {
    const lead = (
      await kit.req(kit.a.admin, {
        method: 'POST',
        url: '/api/v1/leads',
        payload: { name: '回收线索', mobile: '13700137000' },
      })
    ).json()
    expect(
      (await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/leads/${lead.id}` })).statusCode,
    ).toBe(204)
    const bin = (await get(`/api/v1/recycle-bin?filter=${f({ objectType: 'lead', q: '回收' })}`)).json().items
    expect(bin).toEqual([
      expect.objectContaining({ objectId: lead.id, label: '回收线索', deletedBy: kit.a.adminId }),
    ])
    expect((await get('/api/v1/recycle-bin', kit.b.admin)).json().items).toEqual([])
    expect(
      (await kit.req(kit.a.admin, { method: 'POST', url: `/api/v1/recycle-bin/${bin[0].id}/restore` }))
        .statusCode,
    ).toBe(204)
    expect((await get(`/api/v1/leads/${lead.id}`)).json()).toMatchObject({
      name: '回收线索',
      mobile: '+8613700137000',
      version: lead.version,
    })
    const restoreAudit = (
      await get(`/api/v1/audit-log?filter=${f({ objectId: lead.id, action: 'restore' })}`)
    ).json().items
    expect(restoreAudit).toHaveLength(1)
    expect((await get(`/api/v1/recycle-bin?filter=${f({ q: '回收' })}`)).json().items).toEqual([])

    await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/leads/${lead.id}` })
    const [entry] = (await get(`/api/v1/recycle-bin?filter=${f({ q: '回收' })}`)).json().items
    expect(
      (await kit.req(kit.b.admin, { method: 'DELETE', url: `/api/v1/recycle-bin/${entry.id}` })).statusCode,
    ).toBe(404)
    expect(
      (await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/recycle-bin/${entry.id}` })).statusCode,
    ).toBe(204)
    expect(
      (await kit.req(kit.a.admin, { method: 'POST', url: `/api/v1/recycle-bin/${entry.id}/restore` }))
        .statusCode,
    ).toBe(404)
    expect(
      (await get(`/api/v1/audit-log?filter=${f({ objectId: lead.id, action: 'purge' })}`)).json().items,
    ).toHaveLength(1)
  })

  it('refuses (409) to restore a record whose unique value is taken again, keeping the bin entry', async () => {
    const create = () =>
      kit.req(kit.a.admin, {
        method: 'POST',
        url: '/api/v1/org-units',
        payload: { parentId: kit.a.rootUnitId, type: 'department', name: '编码部门', code: 'D-UNIQUE' },
      })
    const unit = (await create()).json()
    expect(
      (await kit.req(kit.a.admin, { method: 'DELETE', url: `/api/v1/org-units/${unit.id}` })).statusCode,
    ).toBe(204)
    expect((await create()).statusCode).toBe(201)
    const [entry] = (await get(`/api/v1/recycle-bin?filter=${f({ objectType: 'org_unit' })}`)).json().items
    const res = await kit.req(kit.a.admin, { method: 'POST', url: `/api/v1/recycle-bin/${entry.id}/restore` })
    expect(res.statusCode).toBe(409)
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'code', code: 'not_unique' })])
    expect(
      (await get(`/api/v1/recycle-bin?filter=${f({ objectType: 'org_unit' })}`)).json().items,
    ).toHaveLength(1)
  })

  it('pages through entries written in one transaction (one time to the microsecond) without losing any', async () => {
    // A bulk action audits every record in one transaction: the entries share `at` down to the
    // microsecond, and a cursor that keeps only milliseconds would skip the rest of them.
    await kit.haina.database.db.transaction(async (tx) => {
      await writeAudit(
        { db: tx, actor: kit.a.sys.actor, locale: 'zh-CN' },
        Array.from({ length: 7 }, (_, i) => ({
          action: 'update',
          objectType: 'bulk_probe',
          objectId: String(i),
          summary: `批量 ${i}`,
        })),
      )
    })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { items: { objectId: string }[]; nextCursor: string | null } = (
        await get(
          `/api/v1/audit-log?limit=3&filter=${f({ objectType: 'bulk_probe' })}${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).json()
      seen.push(...page.items.map((e: { objectId: string }) => e.objectId))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen.sort()).toEqual(['0', '1', '2', '3', '4', '5', '6'])
    // A cursor that is not one of ours is a 400 naming it, not a database error.
    const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url')
    for (const url of ['/api/v1/audit-log', '/api/v1/recycle-bin']) {
      const res = await get(`${url}?cursor=${forged}`)
      expect(res.statusCode).toBe(400)
      expect(res.json().errors[0]).toMatchObject({ field: 'cursor', code: 'invalid_cursor' })
    }
  })
})
