import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, makeWorkspace } from '../../../test/kit.js'
import { drainJobs, enqueue } from '../../platform/jobs/queue.js'
import { sqlArray } from './bulk.js'
import { runFactory } from './factory.service.js'
import { DEFAULT_SCORING } from './scoring.service.js'
import { DEFAULT_RULES } from './settings.service.js'
import { SHIPPED_RULE_NAMES } from './shipped-names.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const source = () => ({
  channelId: null,
  campaignId: null,
  importId: null,
  unitId: kit.a.rootUnitId,
  orgId: kit.a.rootUnitId,
  source: '测试',
})
const ingest = (...leads: Record<string, unknown>[]) =>
  runFactory(
    kit.a.sys,
    source(),
    leads.map((lead) => ({ lead })),
  )
const row = async (id: string) =>
  (await kit.haina.database.pool.query('select * from leads where id = $1', [id])).rows[0]
const as = kit_req
function kit_req(method: string, url: string, payload?: unknown) {
  return kit.req(kit.a.admin, { method: method as 'GET', url, payload: payload as Record<string, unknown> })
}

describe('review queue, merge and unmerge', () => {
  it('queues a look-alike at the same company and merges it on request, then unmerges exactly', async () => {
    const [a] = await ingest({
      name: '陈静',
      mobile: '13811110001',
      company: '星河贸易有限公司',
      email: 'cj@example.com',
    })
    const [b] = await ingest({ name: '陈晶', mobile: '13811110002', company: '星河贸易', title: '采购' })
    expect(b!.outcome).toBe('review')
    expect(b!.candidateLeadId).toBe(a!.leadId)
    const queueRes = await as('GET', '/api/v1/quality/review-items')
    expect(queueRes.statusCode, queueRes.body).toBe(200)
    const queue = queueRes.json()
    const item = queue.items.find((i: { leadId: string }) => i.leadId === b!.leadId)
    expect(item.candidate.id).toBe(a!.leadId)
    // The reviewer sees which rule raised the pair, in their language.
    expect(item.rule.name).toBe('姓名相近且同一公司')
    const en = await kit.req(kit.a.admin, {
      method: 'GET',
      url: '/api/v1/quality/review-items',
      headers: { 'accept-language': 'en' },
    })
    expect(en.json().items.find((i: { id: string }) => i.id === item.id).rule.name).toBe(
      'Similar name at the same company',
    )
    const beforeA = await row(a!.leadId!)
    const beforeB = await row(b!.leadId!)

    const res = await as('POST', '/api/v1/quality/review-items/resolve', { ids: [item.id], action: 'merge' })
    expect(res.statusCode, res.body).toBe(200)
    expect(await row(b!.leadId!)).toBeUndefined()
    const merged = await row(a!.leadId!)
    expect(merged.title).toBe('采购')
    expect(merged.intent_count).toBe(2)

    const merges = (await as('GET', `/api/v1/leads/${a!.leadId}/merges`)).json().items
    const undo = await as('POST', `/api/v1/quality/merges/${merges[0].id}/undo`)
    expect(undo.statusCode, undo.body).toBe(200)
    const strip = (r: Record<string, unknown>) => {
      const { version, updated_at, ...rest } = r
      return rest
    }
    expect(strip(await row(a!.leadId!))).toEqual(strip(beforeA))
    expect(strip(await row(b!.leadId!))).toEqual(strip(beforeB))
    expect((await as('POST', `/api/v1/quality/merges/${merges[0].id}/undo`)).statusCode).toBe(409)
  })

  it('finds a look-alike at a company with more leads than one block reads', async () => {
    // 32 leads at one company, then a homophone of each (surnames too): each is queued against its own.
    const pairs = `陈静 陈晶,张伟 张玮,李娜 李纳,王芳 王方,刘洋 刘阳,杨帆 杨凡,赵敏 赵民,黄磊 黄蕾,周杰 周洁,
      吴刚 吴钢,徐丽 徐莉,孙涛 孙韬,朱琳 朱林,胡军 胡君,郭亮 郭良,何平 何萍,高峰 高锋,林杰 林洁,罗斌 罗彬,
      郑爽 郑双,梁红 梁宏,谢婷 谢亭,宋佳 宋嘉,唐丽 唐莉,冯刚 冯钢,董洁 董杰,萧然 萧冉,程明 程铭,曹颖 曹莹,
      邓超 邓潮,王丽娟 汪丽娟,李建国 黎建国`
      .split(',')
      .map((p) => p.trim().split(' ') as [string, string])
    const company = '远航精密机械有限公司'
    const originals = await ingest(
      ...pairs.map(([name], i) => ({ name, company, mobile: `1390000${String(i).padStart(4, '0')}` })),
    )
    expect(originals.map((r) => r.outcome)).toEqual(pairs.map(() => 'created'))
    const alikes = await ingest(
      ...pairs.map(([, name], i) => ({ name, company, mobile: `1370000${String(i).padStart(4, '0')}` })),
    )
    expect(alikes.map((r) => [r.outcome, r.candidateLeadId])).toEqual(
      originals.map((o) => ['review', o.leadId]),
    )
  })

  it('finds the same name at a look-alike company among more namesakes than one block reads', async () => {
    // 30 namesakes at companies 华兴XY that resemble none of the others, then each company with its
    // last character mistyped: each is queued against its own namesake.
    const [first, second, typo] = [
      '钢食纺化建物电医服家印机汽塑玻陶茶酒粮水造皮五灯玩文乳饲农眼',
      '铁品织工材流子药装具刷械配料璃瓷叶业油产纸革金饰偶墨酪草镜笔',
      '甲乙丙丁戊己庚辛壬癸日丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒',
    ]
    expect([new Set(first).size, new Set(second + typo).size]).toEqual([30, 60])
    const originals = await ingest(
      ...[...first].map((c, i) => ({
        name: '韩梅梅',
        company: `华兴${c}${second[i]}有限公司`,
        mobile: `1350000${String(i).padStart(4, '0')}`,
      })),
    )
    expect(originals.map((r) => r.outcome)).toEqual([...first].map(() => 'created'))
    const alikes = await ingest(
      ...[...first].map((c, i) => ({
        name: '韩梅梅',
        company: `华兴${c}${typo[i]}有限公司`,
        mobile: `1360000${String(i).padStart(4, '0')}`,
      })),
    )
    expect(alikes.map((r) => [r.outcome, r.candidateLeadId])).toEqual(
      originals.map((o) => ['review', o.leadId]),
    )
  })

  it('refuses to undo a merge while a later one into the same lead stands', async () => {
    const [a] = await ingest({ name: '周一', mobile: '13822220001' })
    const [b] = await ingest({ name: '周二', mobile: '13822220002' })
    const [c] = await ingest({ name: '周三', mobile: '13822220003' })
    const m1 = (
      await as('POST', '/api/v1/leads/merge', { targetId: a!.leadId, sourceIds: [b!.leadId] })
    ).json()
    await as('POST', '/api/v1/leads/merge', { targetId: a!.leadId, sourceIds: [c!.leadId] })
    const res = await as('POST', `/api/v1/quality/merges/${m1.mergeIds[0]}/undo`)
    expect(res.statusCode).toBe(409)
    expect(res.json().code).toBe('merge_not_latest')
  })

  it('answers 404 for a lead of another workspace', async () => {
    const [a] = await ingest({ name: '吴六', mobile: '13833330001' })
    const [b] = await ingest({ name: '郑七', mobile: '13833330002' })
    const res = await kit.req(kit.b.admin, {
      method: 'POST',
      url: '/api/v1/leads/merge',
      payload: { targetId: a!.leadId, sourceIds: [b!.leadId] },
    })
    expect(res.statusCode).toBe(404)
  })
})

describe('rules and settings', () => {
  it('names the bad condition of a rule', async () => {
    const res = await as('PUT', '/api/v1/quality/dedupe-rules', {
      rules: [
        { name: '手机', conditions: [{ field: 'mobile', match: 'exact' }], scope: {}, action: 'merge' },
        {
          name: '坏规则',
          conditions: [
            { field: 'mobile', match: 'fuzzy', threshold: 0.9 },
            { field: 'name', match: 'fuzzy', threshold: 2 },
          ],
          scope: {},
          action: 'review',
        },
      ],
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'rules[1].conditions[0].match',
      'rules[1].conditions[1].threshold',
    ])
  })

  it("shows the shipped rule names in the reader's language, and a saved name as saved", async () => {
    expect(SHIPPED_RULE_NAMES.sort()).toEqual(
      [...DEFAULT_RULES, ...DEFAULT_SCORING].map((r) => r.name).sort(),
    )
    const ws = await makeWorkspace(kit.haina, 'rule-names')
    const get = (url: string, lang: string) =>
      kit.req(ws.admin, { method: 'GET', url, headers: { 'accept-language': lang } })
    const names = async (url: string, lang: string) =>
      (await get(url, lang)).json().items.map((r: { name: string }) => r.name)
    expect((await names('/api/v1/quality/dedupe-rules', 'zh-CN'))[0]).toBe('同一手机号')
    expect((await names('/api/v1/quality/dedupe-rules', 'en'))[0]).toBe('Same mobile number')
    expect((await names('/api/v1/quality/dedupe-rules', 'zh-TW'))[0]).toBe('同一手機號')
    expect(await names('/api/v1/quality/scoring-rules', 'en')).toContain('Profile completeness')
    const saved = await kit.req(ws.admin, {
      method: 'PUT',
      url: '/api/v1/quality/scoring-rules',
      headers: { 'accept-language': 'en' },
      payload: {
        rules: [
          { name: '有手机号', kind: 'field_present', params: { field: 'mobile' }, points: 20 },
          { name: '我们自己的规则', kind: 'field_present', params: { field: 'company' }, points: 10 },
        ],
      },
    })
    expect(saved.json().items.map((r: { name: string }) => r.name)).toEqual([
      'Has a mobile number',
      '我们自己的规则',
    ])
    expect(await names('/api/v1/quality/scoring-rules', 'zh-CN')).toEqual(['有手机号', '我们自己的规则'])
    const [l] = await runFactory(ws.sys, { ...source(), unitId: ws.rootUnitId, orgId: ws.rootUnitId }, [
      { lead: { name: '周十一', mobile: '13877770001', company: '海纳' } },
    ])
    const why = await get(`/api/v1/leads/${l!.leadId}/score`, 'en')
    expect(why.json().rules.map((r: { rule: string }) => r.rule)).toEqual([
      'Has a mobile number',
      '我们自己的规则',
    ])
  })

  it('re-dedupes the pool after a rule change, chaining merges within one batch', async () => {
    // Three people with the same name at the same company: the defaults only queue them for review.
    const [first] = await ingest({ name: '郑八', mobile: '13844440001', company: '云端网络' })
    const [second] = await ingest({ name: '郑八', mobile: '13844440002', company: '云端网络有限公司' })
    const [third] = await ingest({ name: '郑八', mobile: '13844440003', company: '云端网络' })
    expect([second!.outcome, third!.outcome]).toEqual(['review', 'review'])
    const openItems = async () =>
      (
        await kit.haina.database.pool.query(
          "select lead_id from review_items where status = 'open' and lead_id = any($1) order by lead_id",
          [[second!.leadId, third!.leadId]],
        )
      ).rows.map((r) => r.lead_id)
    const before = await openItems()
    const rededupe = async () => {
      const [job] = await enqueue(kit.haina.database.db, {
        type: 'quality.rededupe',
        tenantId: kit.a.tenantId,
      })
      await drainJobs(kit.haina.database.db)
      return (await kit.haina.database.pool.query('select status, result from jobs where id = $1', [job!.id]))
        .rows[0]
    }
    // Same rules again: the pairs already waiting for review are not queued twice.
    expect((await rededupe()).status).toBe('succeeded')
    expect(await openItems()).toEqual(before)

    const rules = (await as('GET', '/api/v1/quality/dedupe-rules')).json().items
    const saved = await as('PUT', '/api/v1/quality/dedupe-rules', {
      rules: [
        {
          name: '同名同公司',
          conditions: [
            { field: 'name', match: 'exact' },
            { field: 'company', match: 'exact' },
          ],
          scope: { sameOrg: true },
          action: 'merge',
        },
        ...rules.map(({ priority, id, ...r }: Record<string, unknown>) => r),
      ],
    })
    expect(saved.statusCode, saved.body).toBe(200)
    const job = await rededupe()
    expect(job.status).toBe('succeeded')
    expect(job.result.merged).toBeGreaterThanOrEqual(2)
    // Both newer leads end in the oldest, the third after the second was merged in the same batch.
    expect(await row(second!.leadId!)).toBeUndefined()
    expect(await row(third!.leadId!)).toBeUndefined()
    const survivor = await row(first!.leadId!)
    expect(survivor.intent_count).toBe(3)
  })

  it('runs one re-dedupe at a time and reports its progress and counts', async () => {
    expect((await as('GET', '/api/v1/quality/rededupe')).statusCode).toBe(200)
    const first = await as('POST', '/api/v1/quality/rededupe')
    expect(first.statusCode, first.body).toBe(202)
    expect(first.json()).toMatchObject({ started: true, run: { status: 'queued' } })
    // While it is queued, starting again answers with the same run instead of a second one.
    const again = await as('POST', '/api/v1/quality/rededupe')
    expect(again.json()).toMatchObject({ started: false, jobId: first.json().jobId })
    const queued = (await as('GET', '/api/v1/quality/rededupe')).json().run
    expect(queued).toMatchObject({ jobId: first.json().jobId, status: 'queued' })

    await drainJobs(kit.haina.database.db)
    const done = (await as('GET', '/api/v1/quality/rededupe')).json().run
    expect(done).toMatchObject({ jobId: first.json().jobId, status: 'succeeded', progress: 100 })
    expect(done.result).toEqual({
      done: expect.any(Number),
      merged: expect.any(Number),
      review: expect.any(Number),
      closed: expect.any(Number),
    })
    expect(done.result.done).toBeGreaterThan(0)
    // Finished: the next start is a new run.
    const next = await as('POST', '/api/v1/quality/rededupe')
    expect(next.json().started).toBe(true)
    expect(next.json().jobId).not.toBe(first.json().jobId)
    await drainJobs(kit.haina.database.db)
  })

  it('checks grade order and explains the score', async () => {
    const settings = (await as('GET', '/api/v1/quality/settings')).json()
    const bad = await as('PUT', '/api/v1/quality/settings', { ...settings, grades: { A: 10, B: 20, C: 5 } })
    expect(bad.statusCode).toBe(400)
    const [l] = await ingest({
      name: '钱九',
      mobile: '13855550001',
      email: 'qj@example.com',
      company: '某某',
    })
    const why = (await as('GET', `/api/v1/leads/${l!.leadId}/score`)).json()
    expect(why.rules.reduce((s: number, r: { points: number }) => s + r.points, 0)).toBe(why.score)
    expect(why.score).toBeGreaterThan(0)
  })

  it('rescores existing leads in the background when the scoring rules change', async () => {
    const [l] = await ingest({ name: '孙十', mobile: '13866660001', company: '海纳测试' })
    const before = Number((await row(l!.leadId!)).score)
    const saved = await as('PUT', '/api/v1/quality/scoring-rules', {
      rules: [{ name: '有公司', kind: 'field_present', params: { field: 'company' }, points: 77 }],
    })
    expect(saved.statusCode, saved.body).toBe(200)
    await drainJobs(kit.haina.database.db)
    const after = await row(l!.leadId!)
    expect(Number(after.score)).toBe(77)
    expect(Number(after.score)).not.toBe(before)
    expect(after.grade).toBe('B')
  })
})

describe('sqlArray', () => {
  it('sends any string as one array element, quotes and backslashes included', async () => {
    const values = ['plain', 'with "quotes"', 'back\\slash', 'comma,brace}{', '', 'NULL', '空 格']
    const res = await kit.haina.database.db.execute<{ v: string }>(
      sql`select unnest(${sqlArray(values, 'text')}) as v`,
    )
    expect(res.rows.map((r) => r.v)).toEqual(values)
  })
})
