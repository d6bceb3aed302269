/**
 * GET /customers/:id/360 on a small arranged data set: every part, each read with its own scope
 * and permission; PII masked for a role without pii.view; 404 for another salesperson and for
 * another workspace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../../test/kit.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { newId } from '../../../platform/db/columns.js'
import { campaigns } from '../../campaigns/schema.js'
import { behaviourEvents, channels } from '../../intake/schema.js'
import { followUps } from '../../leads/followups.schema.js'
import { createLeads } from '../../leads/service.js'
import { leadIntents } from '../../quality/schema.js'
import { tasks } from '../tasks/schema.js'
import { daysAgo as ago, type SalesData, type SalesTeam, salesData, salesTeam } from './sales.fixture.js'

let kit: Kit
let team: SalesTeam
let data: SalesData
const id: Record<string, string> = {}

const c360 = (as: TestSession, customerId = id.customer!) =>
  kit.req(as, { method: 'GET', url: `/api/v1/customers/${customerId}/360` })

beforeAll(async () => {
  kit = await createKit()
  team = await salesTeam(kit)
  data = salesData(kit.a)
  const sys = kit.a.sys
  const t = kit.a.tenantId
  const seller = team.user.seller
  const where = { unitId: kit.a.rootUnitId, orgId: kit.a.rootUnitId }
  id.channel = newId()
  await sys.db.insert(channels).values({
    tenantId: t,
    id: id.channel,
    kind: 'web_form',
    name: '官网表单',
    code: `web${Date.now()}`,
    ...where,
  })
  id.first = newId()
  id.last = newId()
  await sys.db.insert(campaigns).values([
    { tenantId: t, id: id.first, name: '春季展会', kind: 'event', code: `c1-${Date.now()}`, ...where },
    { tenantId: t, id: id.last, name: '直播带货', kind: 'live_stream', code: `c2-${Date.now()}`, ...where },
  ])
  const [lead] = await createLeads(sys, [{ name: '华星线索', ownerId: seller }])
  id.lead = String(lead!.id)
  id.person = newId()
  id.contactPerson = newId()

  id.group = await data.customer({ name: '华星集团', ownerId: seller })
  id.hiddenTop = await data.customer({ name: '隐形控股', ownerId: team.user.seller2 })
  await kit.haina.database.pool.query('update customers set parent_id = $1 where id = $2', [
    id.hiddenTop,
    id.group,
  ])
  id.customer = await data.customer({
    name: '华星科技',
    ownerId: seller,
    parentId: id.group,
    phone: '+8613900139000',
    email: 'info@huaxing.cn',
    personId: id.person,
    leadId: id.lead,
    channelId: id.channel,
    firstCampaignId: id.first,
    lastCampaignId: id.last,
    source: '展会',
  })
  id.child = await data.customer({
    name: '华星上海',
    ownerId: seller,
    parentId: id.customer,
    orderTotal: 5000,
  })
  await data.customer({ name: '华星深圳（别人的）', ownerId: team.user.seller2, parentId: id.customer })
  await data.conversion(id.lead, id.customer)

  id.boss = await data.contact(id.customer, {
    name: '王总',
    mobile: '+8613800138000',
    email: 'wang@huaxing.cn',
    phones: ['+8613700137000'],
    isPrimary: true,
    personId: id.contactPerson,
  })
  id.report = await data.contact(id.customer, { name: '李经理', reportsToId: id.boss })

  const p = await data.pipeline('标准流程', [
    ['初步接洽', 10, 'open'],
    ['方案报价', 50, 'open'],
    ['赢单', 100, 'won'],
    ['输单', 0, 'lost'],
  ])
  id.opp = await data.opportunity({
    name: '华星 ERP 项目',
    customerId: id.customer,
    pipelineId: p.id,
    stageId: p.stage.方案报价!,
    amount: 300_000,
    probability: 50,
    ownerId: seller,
  })
  id.hiddenOpp = await data.opportunity({
    name: '别人的商机',
    customerId: id.customer,
    pipelineId: p.id,
    stageId: p.stage.初步接洽!,
    ownerId: team.user.seller2,
  })
  await data.quote({
    number: 'Q-1',
    revision: 1,
    status: 'superseded',
    total: 100,
    opportunityId: id.opp,
    customerId: id.customer,
    ownerId: seller,
  })
  id.quote = await data.quote({
    number: 'Q-1',
    revision: 2,
    status: 'sent',
    total: 90,
    opportunityId: id.opp,
    customerId: id.customer,
    ownerId: seller,
  })
  await data.quote({
    number: 'Q-2',
    revision: 1,
    status: 'draft',
    total: 50,
    opportunityId: id.opp,
    customerId: id.customer,
    ownerId: seller,
  })

  id.paidOrder = await data.order({
    customerId: id.customer,
    status: 'completed',
    total: 100_000,
    paidTotal: 100_000,
    orderedAt: ago(20),
    ownerId: seller,
  })
  id.owedOrder = await data.order({
    customerId: id.customer,
    status: 'confirmed',
    total: 50_000,
    paidTotal: 30_000,
    refundedTotal: 10_000,
    orderedAt: ago(10),
    paymentDueDate: ago(2).toISOString().slice(0, 10),
    ownerId: seller,
  })
  await data.order({
    customerId: id.customer,
    status: 'draft',
    total: 9_999,
    orderedAt: ago(1),
    ownerId: seller,
  })
  await data.order({
    customerId: id.customer,
    status: 'cancelled',
    total: 7_777,
    orderedAt: ago(5),
    ownerId: seller,
  })

  const fu = {
    tenantId: t,
    type: 'call' as const,
    ownerId: seller,
    unitId: team.unit,
    orgId: kit.a.rootUnitId,
  }
  await sys.db.insert(followUps).values([
    { ...fu, subjectType: 'customer', subjectId: id.customer, content: '客户回访', occurredAt: ago(1) },
    { ...fu, subjectType: 'opportunity', subjectId: id.opp, content: '方案沟通', occurredAt: ago(2) },
    { ...fu, subjectType: 'lead', subjectId: id.lead, content: '线索首次电话', occurredAt: ago(30) },
    {
      ...fu,
      subjectType: 'opportunity',
      subjectId: id.hiddenOpp,
      content: '别人的商机跟进',
      ownerId: team.user.seller2,
      occurredAt: ago(3),
    },
  ])
  await sys.db.insert(behaviourEvents).values([
    { tenantId: t, personId: id.person, type: 'view', occurredAt: ago(4), properties: { page: '/pricing' } },
    { tenantId: t, personId: id.contactPerson, type: 'register', occurredAt: ago(3), channelId: id.channel },
    { tenantId: t, personId: newId(), type: 'view', occurredAt: ago(1) },
  ])
  await sys.db.insert(leadIntents).values({
    tenantId: t,
    leadId: id.lead,
    channelId: id.channel,
    campaignId: id.first,
    outcome: 'created',
    payload: { name: '华星线索', mobile: '+8613900139000' },
    receivedAt: ago(31),
  })
  const task = { tenantId: t, ownerId: seller, unitId: team.unit, orgId: kit.a.rootUnitId }
  await sys.db.insert(tasks).values([
    {
      ...task,
      title: '签约拜访',
      kind: 'visit',
      subjectType: 'customer',
      subjectId: id.customer,
      startAt: ago(-3),
    },
    {
      ...task,
      title: '方案演示',
      kind: 'meeting',
      subjectType: 'opportunity',
      subjectId: id.opp,
      startAt: ago(-1),
    },
    { ...task, title: '催款', subjectType: 'order', subjectId: id.owedOrder, dueAt: ago(-2) },
    {
      ...task,
      title: '已完成',
      status: 'done',
      subjectType: 'customer',
      subjectId: id.customer,
      dueAt: ago(-1),
    },
  ])
  await writeAudit(sys, [
    {
      action: 'update',
      objectType: 'customer',
      objectId: id.customer,
      summary: '华星科技',
      before: { phone: null },
      after: { phone: '+8613900139000' },
    },
    {
      action: 'create',
      objectType: 'order',
      objectId: id.paidOrder,
      summary: 'SO-1',
      after: { total: 100_000 },
    },
    { action: 'create', objectType: 'opportunity', objectId: id.hiddenOpp, summary: '别人的商机', after: {} },
    {
      action: 'update',
      objectType: 'customer',
      objectId: id.child,
      summary: '别的客户',
      after: { name: 'x' },
    },
  ])
})
afterAll(() => kit.close())

describe('customer 360', () => {
  it('assembles every part for the owner', async () => {
    const res = await c360(team.as.seller)
    expect(res.statusCode, res.body).toBe(200)
    const v = res.json()
    expect(v.customer).toMatchObject({
      id: id.customer,
      name: '华星科技',
      phone: '+8613900139000',
      email: 'info@huaxing.cn',
      ownerName: 'seller',
    })
    // The group above is shown; the holding above it is another salesperson's.
    expect(v.hierarchy.parents).toEqual([{ id: id.group, name: '华星集团' }])
    expect(v.hierarchy.children).toEqual([
      { id: id.child, name: '华星上海', customerGroup: 'A', orderTotal: 5000 },
    ])
    expect(v.contactsTree).toHaveLength(1)
    expect(v.contactsTree[0]).toMatchObject({ name: '王总', mobile: '+8613800138000' })
    expect(v.contactsTree[0].children.map((c: { name: string }) => c.name)).toEqual(['李经理'])
    expect(v.opportunities).toEqual([
      expect.objectContaining({
        id: id.opp,
        stageName: '方案报价',
        stageProbability: 50,
        pipelineName: expect.any(String),
      }),
    ])
    expect(
      v.quotes.map((q: { number: string; revision: number }) => `${q.number}/${q.revision}`).sort(),
    ).toEqual(['Q-1/2', 'Q-2/1'])
    expect(v.orders.recent).toHaveLength(4)
    expect(v.orders).toMatchObject({ count: 2, amount: 150_000, paid: 130_000, refunded: 10_000 })
    expect(v.orders.recent.find((o: { id: string }) => o.id === id.owedOrder).balance).toBe(30_000)
    expect(v.receivable).toEqual({ balance: 30_000, overdue: 30_000, openOrders: 1 })
    expect(v.followUps.map((f: { content: string }) => f.content)).toEqual([
      '客户回访',
      '方案沟通',
      '线索首次电话',
    ])
    expect(v.timeline.map((e: { type: string }) => e.type)).toEqual(['register', 'view'])
    expect(v.tags).toEqual([])
    expect(v.intents).toEqual([
      expect.objectContaining({
        leadId: id.lead,
        outcome: 'created',
        channelName: '官网表单',
        campaignName: '春季展会',
      }),
    ])
    expect(v.intents[0].payload).toBeUndefined()
    expect(v.attribution).toEqual({
      source: '展会',
      channel: { id: id.channel, name: '官网表单' },
      firstCampaign: { id: id.first, name: '春季展会' },
      lastCampaign: { id: id.last, name: '直播带货' },
    })
    expect(v.tasks.map((t: { title: string }) => t.title)).toEqual(['方案演示', '催款', '签约拜访'])
    expect(
      v.audit.map((a: { objectType: string; action: string }) => `${a.objectType}:${a.action}`).sort(),
    ).toEqual(['customer:update', 'order:create'])
    expect(v.audit.find((a: { objectType: string }) => a.objectType === 'customer')).toMatchObject({
      changes: ['phone'],
    })
  })

  it('masks PII for a role without pii.view and shows only what its permissions allow', async () => {
    const res = await c360(team.as.service)
    expect(res.statusCode, res.body).toBe(200)
    const v = res.json()
    expect(v.customer).toMatchObject({ phone: '139****9000', email: 'i***@huaxing.cn' })
    expect(v.contactsTree[0]).toMatchObject({
      mobile: '138****8000',
      email: 'w***@huaxing.cn',
      phones: ['137****7000'],
    })
    // The desk sees the org: both opportunities; no quotes.view: no quotes.
    expect(v.opportunities).toHaveLength(2)
    expect(v.quotes).toEqual([])
    const marketing = (await c360(team.as.marketing)).json()
    expect(marketing.opportunities).toEqual([])
    expect(marketing.followUps.map((f: { content: string }) => f.content)).toEqual([
      '客户回访',
      '线索首次电话',
    ])
    expect(marketing.tasks).toEqual([])
    expect(marketing.orders.count).toBe(2)
  })

  it('is 404 for another salesperson, another workspace and unknown ids', async () => {
    expect((await c360(team.as.seller2)).statusCode).toBe(404)
    expect((await c360(team.as.outsider)).statusCode).toBe(404)
    expect((await c360(kit.b.admin)).statusCode).toBe(404)
    expect((await c360(team.as.seller, 'nope')).statusCode).toBe(404)
    expect((await c360(team.as.seller, newId())).statusCode).toBe(404)
    // The manager (department tree) sees it, including the other salesperson's opportunity.
    const m = (await c360(team.as.manager)).json()
    expect(m.opportunities).toHaveLength(2)
    expect(m.followUps.map((f: { content: string }) => f.content)).toContain('别人的商机跟进')
  })
})
