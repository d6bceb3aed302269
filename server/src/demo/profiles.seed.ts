/**
 * Profiles for the demo (issue #6): the dealer's retail members (会员) — consumers who reached it
 * through the WeChat mini program, the Tmall store, Douyin live streams and in-store events — with
 * their intents, behaviour (page views of products, clicks, favourites…), accessory and car orders
 * from the Tmall store, a tag taxonomy (人生阶段, 消费能力, 兴趣偏好, 活跃度) with manual and
 * automatic tags, and two segments: a dynamic one (上海 + 母婴 + ≥ 2 orders in 90 days + viewed a
 * product page in the last 7 days, built so that it has members) and a static invitation list.
 *
 * Everything goes through the real services: consumers through the data factory (persons,
 * identities, intents, leads), behaviour through the event intake, tags through tagging and the
 * automatic-tag rules, segments through the segment service. Orders and customers are written in
 * bulk through the sales repositories as sales.seed.ts does (audited as their owners), with every
 * total computed by the sales rules. A few hundred records: seconds on the embedded database.
 */
import { eq, sql } from 'drizzle-orm'
import { createChannel } from '../modules/intake/channels.service.js'
import { type EventInput, ingestEvents } from '../modules/intake/events.service.js'
import type { ChannelKind } from '../modules/intake/schema.js'
import { moveLeads } from '../modules/leads/moves.service.js'
import type { ConditionNode } from '../modules/profiles/conditions/types.js'
import { runAllTagRules } from '../modules/profiles/rules/autotag.service.js'
import { addStaticMembers } from '../modules/profiles/segments/members.service.js'
import { createSegment } from '../modules/profiles/segments/service.js'
import { tagPersons } from '../modules/profiles/tags/tagging.service.js'
import { createTag, createTagGroup } from '../modules/profiles/tags/taxonomy.service.js'
import { type IntakeRecord, runFactory } from '../modules/quality/factory.service.js'
import { customerNameKey } from '../modules/sales/customers/duplicates.service.js'
import { contactsRepo, customersRepo } from '../modules/sales/customers/repo.js'
import { lineGross } from '../modules/sales/money.js'
import { refreshCustomerTotals } from '../modules/sales/orders/customer-totals.js'
import { orderLines, orderPayments } from '../modules/sales/orders/schema.js'
import { ordersRepo } from '../modules/sales/orders/service.js'
import { products as productsTable } from '../modules/sales/products/schema.js'
import type { Ctx } from '../platform/access/actor.js'
import { normalisePhone } from '../platform/custom-fields/values.js'
import { newId } from '../platform/db/columns.js'
import type { Db } from '../platform/db/index.js'
import { person } from './people.js'
import { actorsOf, type DemoPerson } from './pools.seed.js'
import type { Rng } from './random.js'

type Row = Record<string, unknown>
const DAY = 86_400_000
const HOUR = 3_600_000
const CHUNK = 500
/** Retail members in the demo, and how many of them make up the dynamic segment's core. */
const CONSUMERS = 180
const TARGETED = 9

const CHANNELS: [code: string, name: string, kind: ChannelKind][] = [
  ['member-mp', '微信小程序商城', 'mini_program'],
  ['member-tmall', '天猫旗舰店', 'ecommerce'],
  ['member-douyin', '抖音直播间', 'third_party'],
  ['member-store', '门店亲子试驾会', 'offline_event'],
]
// Where members live: [weight, province/city prefix as written in an address, districts, dealer].
const PLACES: [number, string, string[], string | null][] = [
  [
    55,
    '上海市',
    ['浦东新区', '徐汇区', '闵行区', '静安区', '长宁区', '杨浦区', '普陀区', '宝山区'],
    '上海浦东经销商',
  ],
  [20, '浙江省杭州市', ['西湖区', '滨江区', '余杭区', '拱墅区'], '杭州西湖经销商'],
  [10, '江苏省苏州市', ['工业园区', '姑苏区', '吴中区'], null],
  [8, '北京市', ['朝阳区', '海淀区'], '北京朝阳经销商'],
  [7, '广东省深圳市', ['南山区', '福田区'], '深圳南山经销商'],
]
const STREETS = ['世纪大道', '淮海中路', '南京西路', '文三路', '江南大道', '星湖街', '建国路', '科技园路']
// What members buy in the Tmall store: accessory and service codes of the catalogue; cars now and then.
const ACCESSORIES = [
  'CHG-7K',
  'MNT-PKG',
  'FILM-P',
  'MAT-3D',
  'DASH-C',
  'EXT-3Y',
  'GPS-T1',
  'INS-1Y',
  'TRN-DRV',
]
const FAMILY_CARS = ['MPV-M8', 'SUV-X7', 'EV-S5', 'SED-C3']
const PAGES: [string, number][] = [
  ['product', 45],
  ['home', 30],
  ['activity', 25],
]
const EVENT_TYPES: [string, number][] = [
  ['view', 55],
  ['click', 14],
  ['login', 9],
  ['favourite', 8],
  ['add_to_cart', 8],
  ['share', 6],
]

interface Member {
  name: string
  mobile: string
  email: string | null
  address: string
  shanghai: boolean
  dealer: string | null
  ownerId: string | null
  channels: number[]
  buyer: boolean
  targeted: boolean
  personId?: string
  leadId?: string
  customerId?: string
}

export interface ProfilesSeedResult {
  persons: number
  intents: number
  events: number
  orders: number
  tagGroups: number
  tags: number
  personTags: number
  segments: { name: string; kind: string; members: number }[]
}

const between = (r: Rng, from: number, to: number) => Math.round(from + r.next() * Math.max(0, to - from))

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK))
}

export async function seedProfiles(
  db: Db,
  ctx: Ctx,
  r: Rng,
  people: DemoPerson[],
  roleId: (key: string) => string,
): Promise<ProfilesSeedResult> {
  const tenant = ctx.actor.tenantId
  const as = actorsOf(db, tenant)
  const now = Date.now()

  // Who: the marketing department (where members land), the dealers' salespeople and marketers.
  const units = (
    await db.execute<{
      id: string
      parent_id: string | null
      org_id: string
      name: string
      code: string | null
    }>(sql`select id, parent_id, org_id, name, code from org_units where tenant_id = ${tenant}`)
  ).rows
  const unitById = new Map(units.map((u) => [u.id, u]))
  const marketingUnit = units.find((u) => u.code === 'MKT')!
  const sellersOf = new Map<string, { id: string; unitId: string; orgId: string }[]>()
  for (const p of people.filter((x) => x.roleIds.includes(roleId('salesperson')))) {
    const team = unitById.get(p.unitId)!
    const dealer = team.parent_id ? unitById.get(team.parent_id)?.name : undefined
    if (!dealer) continue
    sellersOf.set(dealer, [
      ...(sellersOf.get(dealer) ?? []),
      { id: p.id, unitId: p.unitId, orgId: team.org_id },
    ])
  }
  const allSellers = [...sellersOf.values()].flat()
  const sellerById = new Map(allSellers.map((s) => [s.id, s]))
  const marketer = people.find((p) => p.roleIds.includes(roleId('marketing')))
  const mctx = marketer ? await as(marketer.id) : ctx

  // Channels the members come through. -----------------------------------------------------------
  const channelIds: string[] = []
  for (const [code, name, kind] of CHANNELS)
    channelIds.push(
      String((await createChannel(ctx, { kind, name, code, unitId: marketingUnit.id })).channel.id),
    )

  // Members: the first ones in Shanghai make the dynamic segment's core. --------------------------
  const members: Member[] = []
  const mobiles = new Set<string>()
  while (members.length < CONSUMERS) {
    const p = person(r)
    if (mobiles.has(p.mobile)) continue
    mobiles.add(p.mobile)
    const targeted = members.length < TARGETED
    const [, prefix, districts, dealer] = targeted
      ? PLACES[0]!
      : r.weighted(PLACES.map((x) => [x, x[0]] as const))
    const sellers = dealer ? (sellersOf.get(dealer) ?? []) : []
    // Members near a dealer are mostly followed up by its salespeople; the rest stay with marketing.
    const ownerId = sellers.length && r.next() < 0.6 ? r.pick(sellers).id : null
    const first = r.weighted(CHANNELS.map((_, i) => [i, i === 3 ? 1 : 3] as const))
    const channels = [first]
    for (
      let k = r.weighted([
        [0, 50],
        [1, 35],
        [2, 15],
      ] as const);
      k > 0;
      k--
    )
      channels.push(r.int(0, CHANNELS.length - 1))
    members.push({
      name: p.name,
      mobile: p.mobile,
      email: r.next() < 0.5 ? p.email : null,
      address: `${prefix}${r.pick(districts)}${r.pick(STREETS)}${r.int(1, 999)}号`,
      shanghai: prefix === '上海市',
      dealer,
      ownerId,
      channels,
      buyer: targeted || r.next() < 0.55,
      targeted,
    })
  }

  // Intents through the data factory, round by round (a repeat intent finds the member's person):
  // they land in the marketing department, which hands members near a dealer to its salespeople.
  let intents = 0
  const firstAt = members.map(() => between(r, now - 180 * DAY, now - 20 * DAY))
  for (let round = 0; round < 3; round++) {
    const batches = new Map<number, { idx: number; record: IntakeRecord }[]>()
    members.forEach((m, idx) => {
      const channel = m.channels[round]
      if (channel === undefined) return
      const at = round === 0 ? firstAt[idx]! : between(r, firstAt[idx]! + round * 5 * DAY, now - 2 * DAY)
      const lead =
        round === 0
          ? { name: m.name, mobile: m.mobile, email: m.email, address: m.address }
          : { name: m.name, mobile: m.mobile }
      batches.set(channel, [
        ...(batches.get(channel) ?? []),
        { idx, record: { lead, receivedAt: new Date(at) } },
      ])
    })
    for (const [channel, batch] of batches) {
      const results = await runFactory(
        ctx,
        {
          channelId: channelIds[channel]!,
          campaignId: null,
          importId: null,
          unitId: marketingUnit.id,
          orgId: marketingUnit.org_id,
          source: CHANNELS[channel]![1],
        },
        batch.map((b) => b.record),
      )
      results.forEach((res, i) => {
        const m = members[batch[i]!.idx]!
        if (res.personId) {
          m.personId ??= res.personId
          intents++
        }
        if (res.leadId) m.leadId ??= res.leadId
      })
    }
  }
  const handover = new Map<string, string[]>()
  for (const m of members)
    if (m.ownerId && m.leadId) handover.set(m.ownerId, [...(handover.get(m.ownerId) ?? []), m.leadId])
  for (const [ownerId, leadIds] of handover)
    await moveLeads(mctx, leadIds, { ownerId, status: 'assigned' }, { kind: 'assign' })
  const known = members.filter((m) => m.personId)

  // Buyers: an individual customer each, owned by their salesperson (or one of the nearest dealer). -
  const catalogue = new Map(
    (
      await db
        .select({
          id: productsTable.id,
          code: productsTable.code,
          name: productsTable.name,
          listPrice: productsTable.listPrice,
        })
        .from(productsTable)
        .where(eq(productsTable.tenantId, tenant))
    ).map((p) => [p.code, p]),
  )
  const accessories = ACCESSORIES.map((c) => catalogue.get(c)).filter((p) => !!p)
  const cars = FAMILY_CARS.map((c) => catalogue.get(c)).filter((p) => !!p)
  const customerRows: Row[] = []
  const contactRows: Row[] = []
  const orderRows: Row[] = []
  const lineRows: Row[] = []
  const paymentRows: Row[] = []
  let orderSeq = 0
  const buyers = known.filter((m) => m.buyer && accessories.length && allSellers.length)
  for (const m of buyers) {
    const owner =
      (m.ownerId && sellerById.get(m.ownerId)) || r.pick(sellersOf.get(m.dealer ?? '') ?? allSellers)
    const id = newId()
    m.customerId = id
    const created = firstAt[members.indexOf(m)]! + between(r, 1, 10) * DAY
    customerRows.push({
      id,
      kind: 'individual',
      name: m.name,
      nameKey: customerNameKey(m.name, 'individual'),
      phone: normalisePhone(m.mobile),
      email: m.email,
      address: m.address,
      source: CHANNELS[1]![1],
      level: 'normal',
      status: 'active',
      personId: m.personId,
      leadId: m.leadId ?? null,
      channelId: channelIds[1],
      ownerId: owner.id,
      unitId: owner.unitId,
      orgId: owner.orgId,
      assignedAt: new Date(created),
      createdBy: owner.id,
      createdAt: new Date(created),
      updatedAt: new Date(created),
    })
    // An individual is their own (primary) contact.
    const mobile = normalisePhone(m.mobile)
    contactRows.push({
      id: newId(),
      customerId: id,
      name: m.name,
      mobile,
      phones: mobile ? [mobile] : [],
      email: m.email,
      emails: m.email ? [m.email] : [],
      isPrimary: true,
      personId: m.personId,
      ownerId: owner.id,
      unitId: owner.unitId,
      orgId: owner.orgId,
      createdBy: owner.id,
      createdAt: new Date(created),
      updatedAt: new Date(created),
    })
    const addOrder = (at: number, status: string, partialRefund = false) => {
      const car = !m.targeted && cars.length && r.next() < 0.04
      const items = car
        ? [r.pick(cars)]
        : [...new Set([r.pick(accessories), ...(r.next() < 0.3 ? [r.pick(accessories)] : [])])]
      const orderId = newId()
      const lines = items.map((p, position) => {
        const unitPrice = car ? Math.round((p!.listPrice * 0.97) / 10_000) * 10_000 : p!.listPrice
        const quantity = 1
        const discount = r.next() < 0.35 ? Math.round(lineGross(quantity, unitPrice) * 0.05) : 0
        return {
          tenantId: tenant,
          orderId,
          position,
          productId: p!.id,
          sku: p!.code,
          name: p!.name,
          quantity,
          unitPrice,
          discount,
          amount: lineGross(quantity, unitPrice) - discount,
        }
      })
      lineRows.push(...lines)
      const subtotal = lines.reduce((s, l) => s + lineGross(l.quantity, l.unitPrice), 0)
      const discountTotal = lines.reduce((s, l) => s + l.discount, 0)
      const total = subtotal - discountTotal
      const cap = (t: number) => Math.min(t, now - HOUR)
      const paidAt = status === 'cancelled' ? null : cap(at + r.int(0, 30) * 60_000)
      const shippedAt = ['shipped', 'completed', 'refunded'].includes(status)
        ? cap(at + r.int(1, 2) * DAY)
        : null
      const completedAt = ['completed', 'refunded'].includes(status)
        ? cap(shippedAt! + r.int(2, 5) * DAY)
        : null
      const refunded = status === 'refunded' ? total : partialRefund ? Math.round(total * 0.3) : 0
      const method = r.pick(['alipay', 'wechat_pay'] as const)
      if (paidAt)
        paymentRows.push({
          tenantId: tenant,
          orderId,
          kind: 'payment',
          amount: total,
          method,
          paidAt: new Date(paidAt),
          reference: `TM${orderSeq}`,
          createdBy: owner.id,
        })
      if (refunded)
        paymentRows.push({
          tenantId: tenant,
          orderId,
          kind: 'refund',
          amount: refunded,
          method,
          paidAt: new Date(cap((completedAt ?? paidAt!) + r.int(1, 5) * DAY)),
          note: status === 'refunded' ? '七天无理由退货' : '部分商品退款',
          createdBy: owner.id,
        })
      const number = `TM${new Date(at + 8 * HOUR).toISOString().slice(0, 10).replace(/-/g, '')}${String(++orderSeq).padStart(5, '0')}`
      orderRows.push({
        id: orderId,
        number,
        customerId: id,
        personId: m.personId,
        source: 'ecommerce',
        externalId: number,
        channelId: channelIds[1],
        status,
        orderedAt: new Date(at),
        subtotal,
        discountTotal,
        total,
        paidTotal: paidAt ? total : 0,
        refundedTotal: refunded,
        shippingAddress: m.address,
        confirmedAt: paidAt ? new Date(paidAt) : null,
        shippedAt: shippedAt ? new Date(shippedAt) : null,
        completedAt: completedAt ? new Date(completedAt) : null,
        cancelledAt: status === 'cancelled' ? new Date(cap(at + r.int(1, 48) * HOUR)) : null,
        ownerId: owner.id,
        unitId: owner.unitId,
        orgId: owner.orgId,
        createdBy: owner.id,
        createdAt: new Date(at),
        updatedAt: new Date(completedAt ?? paidAt ?? at),
      })
    }
    // A history over the last 14 months; the segment's core bought twice or more in the last 80 days.
    const history = r.weighted([
      [1, 40],
      [2, 30],
      [3, 18],
      [5, 12],
    ] as const)
    for (let k = 0; k < history; k++) {
      const at = between(r, Math.max(created, now - 420 * DAY), now - 3 * HOUR)
      const status = r.weighted([
        ['completed', 82],
        ['shipped', 6],
        ['cancelled', 8],
        ['refunded', 4],
      ] as const)
      addOrder(at, status, status === 'completed' && r.next() < 0.08)
    }
    if (m.targeted)
      for (let k = r.int(2, 3); k > 0; k--) addOrder(between(r, now - 80 * DAY, now - 4 * DAY), 'completed')
  }
  const byOwner = new Map<string, Row[]>()
  const ownerBatches = async (rows: Row[], repo: { insert: (c: Ctx, rows: Row[]) => Promise<Row[]> }) => {
    byOwner.clear()
    for (const row of rows)
      byOwner.set(row.ownerId as string, [...(byOwner.get(row.ownerId as string) ?? []), row])
    for (const [owner, list] of byOwner) {
      const octx = await as(owner)
      await inChunks(list, (chunk) => repo.insert(octx, chunk))
    }
  }
  await ownerBatches(customerRows, customersRepo)
  await ownerBatches(contactRows, contactsRepo)
  await ownerBatches(
    [...orderRows].sort((a, b) => (a.orderedAt as Date).getTime() - (b.orderedAt as Date).getTime()),
    ordersRepo,
  )
  await inChunks(lineRows, (chunk) => db.insert(orderLines).values(chunk as never))
  await inChunks(paymentRows, (chunk) => db.insert(orderPayments).values(chunk as never))
  await refreshCustomerTotals(
    ctx,
    customerRows.map((c) => c.id as string),
  )

  // Behaviour through the event intake, by mobile: the last 60 days. ---------------------------------
  const eventsByChannel = new Map<number, EventInput[]>()
  const push = (channel: number, e: EventInput) =>
    eventsByChannel.set(channel, [...(eventsByChannel.get(channel) ?? []), e])
  for (const m of known) {
    const channel = m.channels[0]! === 3 ? 0 : m.channels[0]!
    const n = m.targeted
      ? r.int(4, 12)
      : r.weighted([
          [0, 15],
          [r.int(1, 5), 40],
          [r.int(6, 25), 45],
        ] as const)
    for (let i = 0; i < n; i++) {
      const type = r.weighted(EVENT_TYPES)
      const page = r.weighted(PAGES)
      const product = accessories.length ? r.pick(accessories)! : { code: 'CHG-7K' }
      push(channel, {
        type,
        occurredAt: new Date(between(r, now - 60 * DAY, now - HOUR)).toISOString(),
        identity: { mobile: m.mobile },
        properties:
          type === 'view'
            ? page === 'product'
              ? { page, productCode: product.code }
              : { page }
            : type === 'login'
              ? {}
              : { productCode: product.code },
      })
    }
    // The core looked at a product page in the last few days.
    if (m.targeted)
      for (let i = r.int(1, 3); i > 0; i--)
        push(channel, {
          type: 'view',
          occurredAt: new Date(between(r, now - 5 * DAY, now - HOUR)).toISOString(),
          identity: { mobile: m.mobile },
          properties: {
            page: 'product',
            productCode: accessories.length ? r.pick(accessories)!.code : 'CHG-7K',
          },
        })
  }
  let events = 0
  for (const [channel, list] of eventsByChannel)
    for (let i = 0; i < list.length; i += CHUNK) {
      const res = await ingestEvents(ctx, channelIds[channel]!, list.slice(i, i + CHUNK))
      events += res.filter((e) => e.status === 'stored').length
    }

  // The taxonomy, as marketing sets it up. ------------------------------------------------------------
  const group = async (
    name: string,
    description: string,
    exclusive: boolean,
    sortOrder: number,
    color: string,
  ) => String((await createTagGroup(mctx, { name, description, exclusive, sortOrder, color })).id)
  const tag = async (groupId: string, name: string, color: string, sortOrder: number, extra: Row = {}) =>
    String((await createTag(mctx, { groupId, name, color, sortOrder, ...extra })).id)
  const lifeStage = await group('人生阶段', '家庭所处阶段，影响车型与配件需求（单选）', true, 1, 'magenta')
  const stage: Record<string, string> = {}
  for (const [i, [name, description]] of [
    ['备孕', '计划要宝宝的家庭'],
    ['孕期', '准妈妈家庭，关注安全与舒适'],
    ['母婴', '家有 0–3 岁宝宝，关注安全座椅与空间'],
    ['学龄', '孩子上学，关注接送与通勤'],
  ].entries())
    stage[name!] = await tag(lifeStage, name!, ['pink', 'magenta', 'red', 'volcano'][i]!, i, { description })

  const spend = await group(
    '消费能力',
    '近 365 天有效订单金额（扣除退款），自动计算（单选）',
    true,
    2,
    'gold',
  )
  const amount = (op: string, value: unknown): ConditionNode => ({
    field: 'orders.amount',
    op: op as 'gte',
    value,
    params: { days: 365 },
  })
  const auto = (rule: ConditionNode, description: string) => ({
    rule,
    ruleEnabled: true,
    ruleRemoval: 'remove',
    acknowledgeWarning: true,
    description,
  })
  await tag(spend, '高消费', 'gold', 0, auto(amount('gte', 2_000_000), '近一年消费 ≥ ¥20,000'))
  await tag(
    spend,
    '中消费',
    'orange',
    1,
    auto(amount('between', [500_000, 1_999_999]), '近一年消费 ¥5,000–¥19,999.99'),
  )
  await tag(
    spend,
    '低消费',
    'yellow',
    2,
    auto({ match: 'all', conditions: [amount('gt', 0), amount('lt', 500_000)] }, '近一年消费不足 ¥5,000'),
  )

  const interests = await group('兴趣偏好', '可多选', false, 3, 'blue')
  const interest: string[] = []
  for (const [i, name] of ['美妆', '数码', '运动', '家居'].entries())
    interest.push(await tag(interests, name, ['purple', 'geekblue', 'green', 'cyan'][i]!, i))

  const activity = await group('活跃度', '按最近行为自动计算', false, 4, 'green')
  await tag(
    activity,
    '近7天活跃',
    'green',
    0,
    auto({ field: 'events.last', op: 'in_last_days', value: 7 }, '近 7 天有任意行为（浏览、点击、登录…）'),
  )
  await tag(activity, '30天未活跃', 'volcano', 1, {
    ...auto({ field: 'events.last', op: 'not_in_last_days', value: 30 }, '30 天内没有任何行为，或从未有过'),
    ruleRemoval: 'keep',
  })

  // Manual tags: life stages and interests in bulk from the member list, a few one by one. ----------
  const ids = (list: Member[]) => list.map((m) => m.personId!)
  const byStage = new Map<string, Member[]>()
  for (const m of known) {
    const s = m.targeted
      ? '母婴'
      : r.weighted([
          [null, 45],
          ['备孕', 6],
          ['孕期', 8],
          ['母婴', 26],
          ['学龄', 15],
        ] as const)
    if (s) byStage.set(s, [...(byStage.get(s) ?? []), m])
  }
  let personTags = 0
  for (const [name, list] of byStage) {
    const [one, ...rest] = list
    if (one)
      personTags += (await tagPersons(mctx, [one.personId!], { add: [stage[name]!], source: 'manual' })).added
    if (rest.length)
      personTags += (await tagPersons(mctx, ids(rest), { add: [stage[name]!], source: 'bulk' })).added
  }
  for (const [i, tagId] of interest.entries()) {
    const list = known.filter((_, k) => (k * 7 + i * 3) % 10 < (i === 1 ? 4 : 3))
    if (list.length) personTags += (await tagPersons(mctx, ids(list), { add: [tagId], source: 'bulk' })).added
  }
  // Automatic tags: every rule over the whole workspace now (the hourly job keeps them current).
  const rules = await runAllTagRules(ctx)
  personTags += rules.added

  // Segments. ----------------------------------------------------------------------------------------
  const dynamic = await createSegment(mctx, {
    name: '上海宝妈 · 近期高意向',
    description: '上海、母婴阶段、近 90 天下单 ≥ 2 次、近 7 天浏览过商品页：儿童安全座椅与 MPV 试驾邀约',
    kind: 'dynamic',
    conditions: {
      match: 'all',
      conditions: [
        { field: 'person.regionCode', op: 'eq', value: '31' },
        { field: 'tags', op: 'in', value: [stage.母婴!] },
        { field: 'orders.count', op: 'gte', value: 2, params: { days: 90 } },
        {
          field: 'events.count',
          op: 'gte',
          value: 1,
          params: { eventType: 'view', days: 7, property: 'page', propertyValue: 'product' },
        },
      ],
    },
  })
  const invited = await createSegment(mctx, {
    name: '门店亲子试驾会 · 邀约名单',
    description: '门店活动报名与现场登记的会员（静态名单）',
    kind: 'static',
  })
  const store = known.filter((m) => m.channels.includes(3))
  if (store.length) await addStaticMembers(mctx, invited.id, { subjectType: 'person', ids: ids(store) })
  const sizes = await db.execute<{ id: string; member_count: number }>(
    sql`select id, member_count from segments where tenant_id = ${tenant}`,
  )
  const size = (id: string) => Number(sizes.rows.find((s) => s.id === id)?.member_count ?? 0)

  return {
    persons: known.length,
    intents,
    events,
    orders: orderRows.length,
    tagGroups: 4,
    tags: 13,
    personTags,
    segments: [
      { name: dynamic.name, kind: 'dynamic', members: size(dynamic.id) },
      { name: invited.name, kind: 'static', members: size(invited.id) },
    ],
  }
}
