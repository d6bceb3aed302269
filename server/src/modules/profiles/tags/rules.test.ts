/**
 * Tag rules through the tag routes: validation naming the condition, the everyone/no-one warning,
 * the queued run, running now, and the explanation of rule and manual tags on a person.
 */
import { describe, expect, it } from 'vitest'
import { salesSuite } from '../../sales/opportunities/fixture.js'
import { leadOf } from './fixture.js'

const t = salesSuite()
const db = () => t.kit.haina.database.pool
let seq = 0
const admin = () => t.kit.a.admin

const post = async (url: string, body: Record<string, unknown>, status = 201) => {
  const res = await t.call(admin(), 'POST', url, body)
  expect(res.statusCode, res.body).toBe(status)
  return res.json()
}
const tagsIn = (ids: string[]) => ({ match: 'all', conditions: [{ field: 'tags', op: 'in', value: ids }] })

describe('tag rules', () => {
  it('validates, warns, queues, runs and explains a rule', async () => {
    const g = await post('/api/v1/tag-groups', { name: `人群特征${seq++}` })
    const mom = await post('/api/v1/tags', { groupId: g.id, name: '母婴' })
    const nobody = await post('/api/v1/tags', { groupId: g.id, name: '无人' })
    const p1 = await leadOf(t.kit.a, { name: '陈静' }, t.w.user.seller)
    const p2 = await leadOf(t.kit.a, { name: '刘洋' }, t.w.user.sellerB)
    await post('/api/v1/tagging', { subjectType: 'person', ids: [p1.personId], add: [mom.id] }, 200)

    // Unknown field: 400 naming the condition.
    const invalid = await t.call(admin(), 'POST', '/api/v1/tags', {
      groupId: g.id,
      name: '坏规则',
      rule: { match: 'all', conditions: [{ field: 'nope', op: 'eq', value: 1 }] },
      ruleEnabled: true,
    })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().errors[0]).toMatchObject({
      field: 'rule.conditions[0].field',
      code: 'unknown_condition_field',
    })
    const enabledWithout = await t.call(admin(), 'POST', '/api/v1/tags', {
      groupId: g.id,
      name: '空',
      ruleEnabled: true,
    })
    expect(enabledWithout.json().errors[0]).toMatchObject({ field: 'rule', code: 'tag_rule_required' })

    // A rule no one matches asks first; acknowledged, it is saved.
    const warned = await t.call(admin(), 'POST', '/api/v1/tags', {
      groupId: g.id,
      name: '警告',
      rule: tagsIn([nobody.id]),
      ruleEnabled: true,
    })
    expect(warned.statusCode).toBe(409)
    expect(warned.json()).toMatchObject({ code: 'rule_warning', warning: 'no_one', matches: 0 })
    expect(warned.json().total).toBeGreaterThanOrEqual(2)
    const preview = await post('/api/v1/tags/rule-preview', { rule: tagsIn([mom.id]) }, 200)
    expect(preview).toMatchObject({ matches: 1, warning: null })
    expect(preview.total).toBeGreaterThanOrEqual(2)
    const badPreview = await t.call(admin(), 'POST', '/api/v1/tags/rule-preview', {
      rule: { match: 'any', conditions: [] },
    })
    expect(badPreview.statusCode).toBe(400)
    // A rule testing its own tag would flip on every run: 400 naming the condition.
    const selfRef = await t.call(admin(), 'PATCH', `/api/v1/tags/${nobody.id}`, {
      rule: {
        match: 'any',
        conditions: [{ field: 'person.name', op: 'eq', value: '陈静' }, tagsIn([nobody.id])],
      },
      ruleEnabled: true,
      acknowledgeWarning: true,
      version: nobody.version,
    })
    expect(selfRef.statusCode, selfRef.body).toBe(400)
    expect(selfRef.json().errors[0]).toMatchObject({
      field: 'rule.conditions[1].conditions[0].value',
      code: 'rule_self_reference',
    })

    // A rule others can match: saved, its run queued.
    const auto = await post('/api/v1/tags', {
      groupId: g.id,
      name: '母婴人群',
      rule: tagsIn([mom.id]),
      ruleEnabled: true,
    })
    expect(auto).toMatchObject({ ruleEnabled: true, ruleRemoval: 'remove', rule: tagsIn([mom.id]) })
    const jobs = await db().query(
      `select payload from jobs where tenant_id = $1 and type = 'profiles.autotag' and payload->>'tagId' = $2`,
      [t.kit.a.tenantId, auto.id],
    )
    expect(jobs.rows.length).toBe(1)

    // Run now: the matching person gets the tag from the rule.
    const run = await post(`/api/v1/tags/${auto.id}/run`, {}, 200)
    expect(run).toEqual({ matched: 1, added: 1, removed: 0 })
    const held = (await t.call(admin(), 'GET', `/api/v1/persons/${p1.personId}/tags`)).json().items
    expect(held.find((x: { id: string }) => x.id === auto.id)).toMatchObject({ source: 'rule', auto: true })
    const tagRow = (await t.call(admin(), 'GET', `/api/v1/tags/${auto.id}`)).json()
    expect(tagRow.personCount).toBe(1)
    const audit = await db().query(
      `select after from audit_log where tenant_id = $1 and object_type = 'tag' and object_id = $2 and action = 'run_rule'`,
      [t.kit.a.tenantId, auto.id],
    )
    expect(audit.rows[0].after).toEqual({ matched: 1, added: 1, removed: 0 })

    // Why: the rule's conditions with the person's values; a manual tag says who and when.
    const why = await t.call(
      t.w.as.seller,
      'GET',
      `/api/v1/persons/${p1.personId}/tags/${auto.id}/explanation`,
    )
    expect(why.statusCode, why.body).toBe(200)
    expect(why.json()).toMatchObject({
      tag: { id: auto.id, name: '母婴人群', ruleEnabled: true },
      carried: true,
      source: 'rule',
      holds: true,
      conditions: [expect.objectContaining({ field: 'tags', op: 'in', holds: true })],
    })
    const manual = (
      await t.call(t.w.as.seller, 'GET', `/api/v1/persons/${p1.personId}/tags/${mom.id}/explanation`)
    ).json()
    expect(manual).toMatchObject({
      source: 'manual',
      carried: true,
      addedBy: t.kit.a.adminId,
      addedByName: 'Alpha 管理员',
      holds: null,
      conditions: [],
    })
    expect(manual.addedAt).toBeTruthy()
    // A person who does not carry it: the rule says why not.
    const whyNot = (
      await t.call(admin(), 'GET', `/api/v1/persons/${p2.personId}/tags/${auto.id}/explanation`)
    ).json()
    expect(whyNot).toMatchObject({ carried: false, source: null, holds: false })
    expect(
      (await t.call(t.w.as.seller, 'GET', `/api/v1/persons/${p2.personId}/tags/${auto.id}/explanation`))
        .statusCode,
    ).toBe(404)
    expect(
      (
        await t.call(
          admin(),
          'GET',
          `/api/v1/persons/${p1.personId}/tags/00000000-0000-7000-8000-000000000000/explanation`,
        )
      ).statusCode,
    ).toBe(404)

    // The rule stops holding: the next run takes the tag off (ruleRemoval remove).
    await post('/api/v1/tagging', { subjectType: 'person', ids: [p1.personId], remove: [mom.id] }, 200)
    expect(await post(`/api/v1/tags/${auto.id}/run`, {}, 200)).toEqual({ matched: 0, added: 0, removed: 1 })

    // Changing the rule: validated, previewed, queued again; disabling queues nothing.
    const changed = await t.call(admin(), 'PATCH', `/api/v1/tags/${auto.id}`, {
      rule: { match: 'all', conditions: [{ field: 'tags', op: 'in', value: 'x' }] },
    })
    expect(changed.statusCode).toBe(400)
    expect(changed.json().errors[0].field).toMatch(/^rule\.conditions\[0\]/)
    const noOne = await t.call(admin(), 'PATCH', `/api/v1/tags/${auto.id}`, { rule: tagsIn([nobody.id]) })
    expect(noOne.json()).toMatchObject({ code: 'rule_warning', warning: 'no_one' })
    const ok = await t.call(admin(), 'PATCH', `/api/v1/tags/${auto.id}`, {
      rule: tagsIn([nobody.id]),
      acknowledgeWarning: true,
      ruleRemoval: 'keep',
    })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ ruleRemoval: 'keep', rule: tagsIn([nobody.id]) })
    await t.call(admin(), 'PATCH', `/api/v1/tags/${auto.id}`, { ruleEnabled: false })
    const queued = await db().query(
      `select count(*)::int as n from jobs where tenant_id = $1 and type = 'profiles.autotag' and payload->>'tagId' = $2`,
      [t.kit.a.tenantId, auto.id],
    )
    expect(queued.rows[0].n).toBe(2)
    expect((await t.call(admin(), 'POST', `/api/v1/tags/${mom.id}/run`)).json().code).toBe('tag_no_rule')
    expect((await t.call(t.kit.b.admin, 'POST', `/api/v1/tags/${auto.id}/run`)).statusCode).toBe(404)
  })
})
