/** Segment analytics: overlap of two segments, distribution by province and by channel, size history. */
import { describe, expect, it } from 'vitest'
import {
  makeChannel,
  makeIntent,
  makeLead,
  makePerson,
  makeUser,
  segmentsSuite,
  setPerson,
  uniq,
} from './fixture.js'

const t = segmentsSuite()
const admin = () => t.kit.a.admin

const staticSegment = async (personIds: string[]) => {
  const res = await t.call(admin(), 'POST', '/api/v1/segments', { name: uniq('人群'), kind: 'static' })
  expect(res.statusCode, res.body).toBe(201)
  const id = res.json().id as string
  if (personIds.length) {
    const add = await t.call(admin(), 'POST', `/api/v1/segments/${id}/members`, {
      subjectType: 'person',
      ids: personIds,
    })
    expect(add.statusCode, add.body).toBe(200)
  }
  return id
}

describe('segment analytics', () => {
  it('measures the overlap of two segments', async () => {
    const p = await Promise.all(Array.from({ length: 8 }, () => makePerson(t.kit.a)))
    const a = await staticSegment(p.slice(0, 5))
    const b = await staticSegment(p.slice(3))
    const res = await t.call(admin(), 'GET', `/api/v1/segments/overlap?a=${a}&b=${b}`)
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({
      a: { id: a, name: expect.any(String), size: 5 },
      b: { id: b, name: expect.any(String), size: 5 },
      both: 2,
      onlyA: 3,
      onlyB: 3,
    })
    // A merged-away member no longer counts.
    await setPerson(t.kit.a, p[3]!, { mergedIntoId: p[0]! })
    expect((await t.call(admin(), 'GET', `/api/v1/segments/overlap?a=${a}&b=${b}`)).json()).toMatchObject({
      a: { size: 4 },
      b: { size: 4 },
      both: 1,
      onlyA: 3,
      onlyB: 3,
    })
    // Only what the caller sees.
    const seller = await makeUser(t.kit, t.kit.a, ['segments.view'])
    await makeLead(t.kit.a, p[4]!, { ownerId: seller.id })
    await makeLead(t.kit.a, p[5]!, { ownerId: seller.id })
    expect(
      (await t.call(seller.session, 'GET', `/api/v1/segments/overlap?a=${a}&b=${b}`)).json(),
    ).toMatchObject({
      a: { size: 1 },
      b: { size: 2 },
      both: 1,
      onlyA: 0,
      onlyB: 1,
    })
    expect((await t.call(t.kit.b.admin, 'GET', `/api/v1/segments/overlap?a=${a}&b=${b}`)).statusCode).toBe(
      404,
    )
    expect((await t.call(admin(), 'GET', `/api/v1/segments/overlap?a=${a}`)).statusCode).toBe(400)
  })

  it('spreads members over provinces and channels', async () => {
    const codes = ['310101', '310115', '31', '110101', '1101', null, '440305']
    const p = await Promise.all(codes.map((regionCode) => makePerson(t.kit.a, { regionCode })))
    const id = await staticSegment(p)
    const region = await t.call(admin(), 'GET', `/api/v1/segments/${id}/distribution?by=region`)
    expect(region.statusCode, region.body).toBe(200)
    expect(region.json().items).toEqual([
      { key: '31', label: '上海市', count: 3 },
      { key: '11', label: '北京市', count: 2 },
      { key: '44', label: '广东省', count: 1 },
      { key: null, label: '未知地区', count: 1 },
    ])
    const en = await t.call(admin(), 'GET', `/api/v1/segments/${id}/distribution?by=region`, undefined, 'en')
    expect(en.json().items.at(-1)).toEqual({ key: null, label: 'Unknown region', count: 1 })

    const web = await makeChannel(t.kit.a, uniq('官网'))
    const app = await makeChannel(t.kit.a, uniq('小程序'))
    // p0: lead via web; p1: lead via web and an intent via app; p2: intent via app twice; p3: a lead without channel.
    await makeLead(t.kit.a, p[0]!, { channelId: web })
    await makeLead(t.kit.a, p[1]!, { channelId: web })
    await makeIntent(t.kit.a, p[1]!, app)
    await makeIntent(t.kit.a, p[2]!, app)
    await makeIntent(t.kit.a, p[2]!, app)
    await makeLead(t.kit.a, p[3]!)
    const channel = await t.call(admin(), 'GET', `/api/v1/segments/${id}/distribution?by=channel`)
    expect(channel.statusCode, channel.body).toBe(200)
    const items = channel.json().items as { key: string | null; label: string; count: number }[]
    expect(items).toEqual(
      [
        { key: null, label: '无渠道', count: 4 },
        { key: web, label: expect.stringContaining('官网'), count: 2 },
        { key: app, label: expect.stringContaining('小程序'), count: 2 },
      ].sort((x, y) => y.count - x.count || String(x.key).localeCompare(String(y.key))),
    )
    expect((await t.call(admin(), 'GET', `/api/v1/segments/${id}/distribution?by=age`)).statusCode).toBe(400)
    expect(
      (await t.call(t.kit.b.admin, 'GET', `/api/v1/segments/${id}/distribution?by=region`)).statusCode,
    ).toBe(404)
  })

  it('keeps the size history, oldest first', async () => {
    const p = await Promise.all([1, 2, 3].map(() => makePerson(t.kit.a)))
    const id = await staticSegment(p.slice(0, 2))
    await t.call(admin(), 'POST', `/api/v1/segments/${id}/members`, { subjectType: 'person', ids: [p[2]] })
    await t.call(admin(), 'DELETE', `/api/v1/segments/${id}/members`, { personIds: [p[0]] })
    const res = await t.call(admin(), 'GET', `/api/v1/segments/${id}/sizes`)
    expect(res.statusCode).toBe(200)
    expect(
      res.json().items.map((x: Record<string, unknown>) => [x.size, x.added, x.removed, x.trigger]),
    ).toEqual([
      [0, 0, 0, 'manual'],
      [2, 2, 0, 'manual'],
      [3, 1, 0, 'manual'],
      [2, 0, 1, 'manual'],
    ])
    expect((await t.call(t.kit.b.admin, 'GET', `/api/v1/segments/${id}/sizes`)).statusCode).toBe(404)
  })
})
