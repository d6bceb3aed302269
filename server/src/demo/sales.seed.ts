/**
 * Sales for the demo (issue #5): the default pipeline, a car dealer's catalogue with price books
 * and competitors, customers (organisations with group / subsidiary pairs, and individuals) owned
 * by the demo's salespeople with contacts in reporting lines, opportunities across the stages
 * (MEDDIC as far as each stage's gate asks, won and lost with reasons, stage history), quotes
 * through the approval flow, 18 months of orders with lines and payments (some still owed),
 * follow-ups, this and next month's tasks and meetings, and the A–E groups computed last.
 *
 * Small things go through the sales services (catalogue, quotes, orders from won opportunities,
 * tasks, totals and groups). The volume — customers, contacts, opportunities, orders — is written
 * in bulk through the same repositories (tenant, scope columns, audit as the services write
 * them), with every derived value computed by the sales rules (money.ts, meddic.ts, the stage
 * gates of the default pipeline): the demo must start quickly on the embedded database.
 * Everything is drawn from the demo's seeded generator.
 */
import { sql } from 'drizzle-orm'
import { followUpsRepo } from '../modules/leads/followups.service.js'
import { creditCodeCheckChar } from '../modules/quality/normalize/credit-code.js'
import { customerNameKey } from '../modules/sales/customers/duplicates.service.js'
import { recomputeCustomerGroups } from '../modules/sales/customers/groups.service.js'
import { contactsRepo, customersRepo } from '../modules/sales/customers/repo.js'
import type { DealRole } from '../modules/sales/customers/schema.js'
import { lineAmount, lineGross } from '../modules/sales/money.js'
import { meddicScore } from '../modules/sales/opportunities/meddic.js'
import { ensureDefaultPipeline } from '../modules/sales/opportunities/pipelines.service.js'
import {
  type Meddic,
  opportunityCompetitors,
  opportunityLines,
  opportunityStageHistory,
} from '../modules/sales/opportunities/schema.js'
import { opportunitiesRepo } from '../modules/sales/opportunities/service.js'
import { refreshCustomerTotals } from '../modules/sales/orders/customer-totals.js'
import { orderFromOpportunity } from '../modules/sales/orders/from-opportunity.service.js'
import { recordPayment } from '../modules/sales/orders/payments.service.js'
import { orderLines, orderPayments, PAYMENT_METHODS } from '../modules/sales/orders/schema.js'
import { ordersRepo } from '../modules/sales/orders/service.js'
import { setOrderStatus } from '../modules/sales/orders/status.service.js'
import {
  competitorsRepo,
  createPriceBook,
  createProduct,
  replacePriceBookEntries,
} from '../modules/sales/products/service.js'
import { answerQuote, decideQuote, sendQuote, submitQuote } from '../modules/sales/quotes/approval.service.js'
import { createQuote } from '../modules/sales/quotes/service.js'
import { salesCounters } from '../modules/sales/settings.schema.js'
import { getSalesSettings } from '../modules/sales/settings.service.js'
import { createTask, setTaskStatus } from '../modules/sales/tasks/service.js'
import type { Ctx } from '../platform/access/actor.js'
import { normalisePhone } from '../platform/custom-fields/values.js'
import { newId } from '../platform/db/columns.js'
import type { Db } from '../platform/db/index.js'
import type { FieldError } from '../platform/http/errors.js'
import { placeRecord } from '../platform/org/placement.js'
import { brand, company, companyCity, person, region, SOURCES } from './people.js'
import { actorsOf, type DemoPerson } from './pools.seed.js'
import type { Rng } from './random.js'

type Row = Record<string, unknown>
const DAY = 86_400_000
const HOUR = 3_600_000
/** Rows per statement: a statement carries at most 65,535 parameters. */
const CHUNK = 500

// The catalogue: code, name, category, unit, list price in yuan.
const PRODUCTS = [
  ['EV-S5', '新能源轿车 S5 标准续航版', '整车', '台', 159_800],
  ['EV-S5L', '新能源轿车 S5 长续航版', '整车', '台', 189_800],
  ['SUV-X7', 'SUV X7 两驱舒适版', '整车', '台', 219_800],
  ['SUV-X7A', 'SUV X7 四驱旗舰版', '整车', '台', 279_800],
  ['SED-C3', '轿车 C3 1.5T 精英版', '整车', '台', 119_800],
  ['MPV-M8', '商务 MPV M8 七座版', '整车', '台', 329_800],
  ['VAN-V3', '轻型商用车 V3 厢式版', '整车', '台', 99_800],
  ['TRK-T5', '新能源物流车 T5', '整车', '台', 139_800],
  ['CHG-7K', '家用充电桩 7kW（含安装）', '充电设备', '套', 3_999],
  ['CHG-60K', '直流快充桩 60kW', '充电设备', '套', 68_000],
  ['EXT-3Y', '延长保修 3 年', '服务', '份', 6_800],
  ['MNT-PKG', '保养套餐（6 次）', '服务', '份', 4_200],
  ['INS-1Y', '车险代办（首年）', '服务', '份', 5_600],
  ['FLT-MGT', '车队管理系统（年）', '软件服务', '年', 12_000],
  ['GPS-T1', '车载定位终端', '配件', '个', 1_280],
  ['FILM-P', '隐形车衣', '配件', '套', 8_800],
  ['MAT-3D', '全包围脚垫', '配件', '套', 980],
  ['DASH-C', '行车记录仪', '配件', '个', 1_099],
  ['TRN-DRV', '驾驶员培训（每人）', '服务', '人', 1_500],
  ['RENT-M', '融资租赁服务费', '金融服务', '笔', 9_800],
] as const
const COMPETITORS = [
  ['恒通汽车', '价格灵活，金融方案多', '售后网点少'],
  ['驰远新能源', '续航口碑好', '交付周期长'],
  ['众诚车业', '本地关系深', '车型老旧'],
  ['瑞丰汽贸', '大客户折扣高', '服务响应慢'],
  ['东岳汽车', '品牌知名度高', '价格偏高'],
] as const
// Industries as the customer form offers them; fleets buy most.
const INDUSTRIES = [
  ['物流', 5],
  ['零售', 3],
  ['制造业', 3],
  ['政府及公共事业', 2],
  ['信息技术', 2],
  ['医疗健康', 1],
  ['教育', 1],
  ['餐饮酒店', 1],
  ['能源', 1],
  ['其他', 1],
] as const
const SIZES = ['1-49', '50-199', '200-999', '1000+'] as const
const LEVELS = [
  ['strategic', 1],
  ['key', 4],
  ['normal', 12],
  ['small', 3],
] as const
/** Orders a customer of each level places, relative to a normal one. */
const LEVEL_WEIGHT: Record<string, number> = { strategic: 6, key: 3, normal: 1, small: 0.5 }
// Contacts by level in the reporting line: title and deal role.
const ORG_ROLES: [string, string, DealRole][][] = [
  [
    ['总经理', '总经办', 'decision_maker'],
    ['董事长', '董事会', 'decision_maker'],
  ],
  [
    ['采购经理', '采购部', 'economic_buyer'],
    ['财务总监', '财务部', 'finance'],
    ['车队经理', '行政部', 'influencer'],
  ],
  [
    ['车队主管', '行政部', 'user'],
    ['行政专员', '行政部', 'gatekeeper'],
    ['司机班长', '车队', 'user'],
  ],
]
const PREFERENCES = ['喜欢电话沟通', '工作日下午方便', '关注售后服务', '偏好微信沟通', '重视交付时间']
const MEDDIC_TEXT: Record<string, string[]> = {
  metrics: ['车队油耗降低 30%', '三年总拥有成本下降 15%', '每月配送量提升 20%', '通勤班车准点率 98%'],
  decisionCriteria: ['续航与充电便利', '价格与金融方案', '售后响应时间', '车辆安全配置'],
  decisionProcess: ['采购部比价后总经理审批', '董事会季度预算会决定', '招标采购，财务复核'],
  identifyPain: ['旧车维修费用高', '油价上涨压力大', '车辆不够用，订单外包', '排放政策要求更换车辆'],
}
const FOLLOW_UP_NOTES = [
  '电话回访，客户对交付时间满意',
  '上门拜访，了解车队更新计划',
  '微信发送了新款车型资料',
  '客户询问金融方案，已发送报价',
  '到店看车，试驾了长续航版',
]
const TASKS: [kind: 'meeting' | 'call' | 'visit' | 'task', title: string][] = [
  ['meeting', '方案评审会'],
  ['meeting', '商务谈判'],
  ['call', '电话回访'],
  ['call', '确认交车时间'],
  ['visit', '上门拜访'],
  ['visit', '陪同试驾'],
  ['task', '准备报价单'],
  ['task', '整理合同条款'],
]

/** What happens to the quotes of open deals, in turn (those of won deals are accepted). */
const QUOTE_FATES = [
  'pending',
  'sent',
  'approved',
  'pending',
  'draft',
  'rejected',
  'sent',
  'managerApproved',
  'pending',
  'draft',
] as const

interface Seller extends DemoPerson {
  unitId: string
  orgId: string
  managerId: string | null
}
interface Customer {
  id: string
  kind: 'organisation' | 'individual'
  name: string
  level: string
  regionCode: string
  address: string
  createdAt: number
  /** The individual's own mobile and email (their contact has them too). */
  person: { name: string; mobile: string; email: string }
  owner: Seller
  contacts: { id: string; name: string; title: string; dealRole: DealRole }[]
}
interface Line {
  productId: string
  name: string
  quantity: number
  unitPrice: number
  discountPct: number
}
interface Opportunity {
  id: string
  name: string
  customer: Customer
  status: 'open' | 'won' | 'lost'
  /** The last open stage it reached (position among the open stages). */
  reached: number
  lines: Line[]
  closedAt: number | null
}

/** A valid 统一社会信用代码 (its check character computed) from the generator. */
function creditCode(r: Rng) {
  const first17 = `91${String(r.int(110000, 659999))}${String(r.int(0, 999_999_999)).padStart(9, '0')}`
  return first17 + creditCodeCheckChar(first17)
}

/** Random instant between two times. */
const between = (r: Rng, from: number, to: number) => Math.round(from + r.next() * Math.max(0, to - from))
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

async function inChunks<T>(rows: T[], write: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += CHUNK) await write(rows.slice(i, i + CHUNK))
}

/** Inserts rows through a repository as each row's owner (the audit log names them). */
async function insertAsOwners(
  as: (userId: string) => Promise<Ctx>,
  repo: { insert: (ctx: Ctx, rows: Row[]) => Promise<Row[]> },
  rows: Row[],
) {
  const byOwner = new Map<string, Row[]>()
  for (const row of rows)
    byOwner.set(row.ownerId as string, [...(byOwner.get(row.ownerId as string) ?? []), row])
  for (const [owner, list] of byOwner) {
    const ctx = await as(owner)
    await inChunks(list, (chunk) => repo.insert(ctx, chunk))
  }
}

export interface SalesSeedResult {
  customers: number
  contacts: number
  opportunities: number
  quotes: number
  orders: number
  tasks: number
}

/**
 * Sales data for the demo workspace: `customers` customers (300 in the demo) and, in proportion,
 * about twice as many opportunities, a quote for every seventh or so, nearly seven orders per
 * customer over 18 months and a task or meeting for every third customer.
 */
export async function seedSales(
  db: Db,
  ctx: Ctx,
  r: Rng,
  people: DemoPerson[],
  roleId: (key: string) => string,
  size: { customers: number; adminId?: string },
): Promise<SalesSeedResult> {
  const tenant = ctx.actor.tenantId
  const as = actorsOf(db, tenant)
  const now = Date.now()
  const settings = await getSalesSettings(ctx)

  // Who sells: the salespeople, each with the place their records get and their dealer's manager.
  const units = new Map(
    (
      await db.execute<{ id: string; parent_id: string | null }>(
        sql`select id, parent_id from org_units where tenant_id = ${tenant}`,
      )
    ).rows.map((u) => [u.id, u.parent_id]),
  )
  const managers = people.filter((p) => p.roleIds.includes(roleId('sales_manager')))
  const sellers: Seller[] = []
  for (const p of people.filter((x) => x.roleIds.includes(roleId('salesperson')))) {
    const errors: FieldError[] = []
    const place = (await placeRecord(ctx, p.id, undefined, errors, ''))!
    const dealer = units.get(p.unitId)
    sellers.push({ ...p, ...place, managerId: managers.find((m) => m.unitId === dealer)?.id ?? null })
  }

  // Pipeline, catalogue, price books, competitors: through the services. -------------------------
  const pipeline = await ensureDefaultPipeline(ctx)
  const open = pipeline.stages.filter((s) => s.kind === 'open')
  const wonStage = pipeline.stages.find((s) => s.kind === 'won')!
  const lostStage = pipeline.stages.find((s) => s.kind === 'lost')!
  const products: { id: string; code: string; name: string; category: string; price: number }[] = []
  for (const [code, name, category, unit, yuan] of PRODUCTS) {
    const p = await createProduct(ctx, { code, name, category, unit, listPrice: yuan * 100 })
    products.push({ id: String(p.id), code, name, category, price: yuan * 100 })
  }
  const standard = await createPriceBook(ctx, {
    name: '经销商标准价',
    isDefault: true,
    description: '各经销商统一执行的零售价',
  })
  // Cars sell a little under the list price; everything else at it.
  for (const p of products)
    if (p.category === '整车') p.price = Math.round((p.price * 0.97) / 10_000) * 10_000
  await replacePriceBookEntries(
    ctx,
    String(standard.id),
    products.map((p) => ({ productId: p.id, unitPrice: p.price })),
  )
  const fleet = await createPriceBook(ctx, { name: '大客户协议价', description: '车队与政企客户' })
  await replacePriceBookEntries(
    ctx,
    String(fleet.id),
    products.map((p) => ({ productId: p.id, unitPrice: Math.round(p.price * 0.92) })),
  )
  const competitors = (
    await competitorsRepo.insert(
      ctx,
      COMPETITORS.map(([name, strengths, weaknesses]) => ({ name, strengths, weaknesses })),
    )
  ).map((c) => String(c.id))
  const cars = products.filter((p) => p.category === '整车')
  const extras = products.filter((p) => p.category !== '整车')

  // Customers: a few groups with subsidiaries, organisations, individuals. -----------------------
  const customers: Customer[] = []
  const customerRows: Row[] = []
  const names = new Set<string>()
  const unique = (make: () => string) => {
    let name = make()
    while (names.has(name)) name = make()
    names.add(name)
    return name
  }
  const addCustomer = (
    kind: Customer['kind'],
    name: string,
    owner: Seller,
    parentId: string | null = null,
  ) => {
    const where = region(r)
    const p = person(r)
    const org = kind === 'organisation'
    const c: Customer = {
      id: newId(),
      kind,
      name,
      level: org
        ? r.weighted(LEVELS)
        : r.weighted([
            ['normal', 3],
            ['small', 1],
          ] as const),
      regionCode: where.district,
      address: `${where.label}${brand(r)}路${r.int(1, 999)}号`,
      createdAt: now - r.int(20, 720) * DAY - r.int(0, 23) * HOUR,
      person: p,
      owner,
      contacts: [],
    }
    customers.push(c)
    customerRows.push({
      id: c.id,
      kind,
      name,
      parentId,
      industry: org ? r.weighted(INDUSTRIES) : null,
      size: org ? r.pick(SIZES) : null,
      regionCode: c.regionCode,
      address: c.address,
      creditCode: org ? creditCode(r) : null,
      phone: normalisePhone(p.mobile),
      email: org ? null : p.email,
      source: r.pick(SOURCES),
      level: c.level,
      status: r.next() < 0.04 ? 'inactive' : 'active',
      nameKey: customerNameKey(name, kind),
      ownerId: owner.id,
      unitId: owner.unitId,
      orgId: owner.orgId,
      assignedAt: new Date(c.createdAt),
      createdBy: owner.id,
      createdAt: new Date(c.createdAt),
      updatedAt: new Date(c.createdAt),
    })
    return c
  }
  const groups = Math.max(1, Math.round(size.customers / 40))
  for (let g = 0; g < groups && customers.length < size.customers; g++) {
    const owner = r.pick(sellers)
    let head = ''
    const groupName = unique(() => {
      head = brand(r)
      return `${head}控股集团有限公司`
    })
    const parent = addCustomer('organisation', groupName, owner)
    for (let k = r.int(1, 2); k > 0 && customers.length < size.customers; k--)
      addCustomer(
        'organisation',
        unique(() => `${head}（${companyCity(r)}）${r.pick(['物流', '汽车服务', '供应链'])}有限公司`),
        owner,
        parent.id,
      )
  }
  while (customers.length < size.customers) {
    const owner = r.pick(sellers)
    if (r.next() < 0.72)
      addCustomer(
        'organisation',
        unique(() => company(r)),
        owner,
      )
    else
      addCustomer(
        'individual',
        unique(() => person(r).name),
        owner,
      )
  }
  await insertAsOwners(as, customersRepo, customerRows)

  // Contacts: individuals are their own contact; organisations have one to three in a reporting line.
  const contactRows: Row[] = []
  for (const c of customers) {
    const n =
      c.kind === 'individual'
        ? 1
        : r.weighted([
            [1, 25],
            [2, 40],
            [3, 35],
          ] as const)
    let reportsToId: string | null = null
    for (let level = 0; level < n; level++) {
      const p = c.kind === 'individual' ? { ...c.person, name: c.name } : person(r)
      const [title, department, dealRole] =
        c.kind === 'individual' ? ['本人', null, 'decision_maker' as const] : r.pick(ORG_ROLES[level]!)
      const id = newId()
      const mobile = normalisePhone(p.mobile)
      c.contacts.push({ id, name: p.name, title, dealRole })
      contactRows.push({
        id,
        customerId: c.id,
        name: p.name,
        title,
        department,
        dealRole,
        reportsToId,
        mobile,
        phones: mobile ? [mobile] : [],
        email: p.email,
        emails: [p.email],
        wechatIds: r.next() < 0.5 ? [`wxid_${p.email.split('@')[0]}`] : [],
        birthday:
          r.next() < 0.3
            ? `${r.int(1965, 1998)}-${String(r.int(1, 12)).padStart(2, '0')}-${String(r.int(1, 28)).padStart(2, '0')}`
            : null,
        preferences: r.next() < 0.25 ? r.pick(PREFERENCES) : null,
        isPrimary: level === 0,
        ownerId: c.owner.id,
        unitId: c.owner.unitId,
        orgId: c.owner.orgId,
        createdBy: c.owner.id,
        createdAt: new Date(c.createdAt),
        updatedAt: new Date(c.createdAt),
      })
      reportsToId = id
    }
  }
  await insertAsOwners(as, contactsRepo, contactRows)

  // Opportunities: open ones across the four open stages, won and lost ones over 18 months. ------
  const linesFor = (c: Customer, big: boolean): Line[] => {
    const org = c.kind === 'organisation'
    const car = r.pick(cars)
    const qty = org ? (big ? r.int(5, 30) : r.int(1, 8)) : 1
    const lines: Line[] = [
      {
        productId: car.id,
        name: car.name,
        quantity: qty,
        unitPrice: car.price,
        discountPct: r.pick([0, 0, 2, 3, 5, 8]),
      },
    ]
    for (const extra of new Set(Array.from({ length: r.int(0, 2) }, () => r.pick(extras))))
      lines.push({
        productId: extra.id,
        name: extra.name,
        quantity: extra.category === '软件服务' || extra.category === '金融服务' ? 1 : qty,
        unitPrice: extra.price,
        discountPct: r.pick([0, 0, 5, 10]),
      })
    return lines
  }
  const amountOf = (lines: Line[]) =>
    lines.reduce((s, l) => s + lineAmount(l.quantity, l.unitPrice, l.discountPct), 0)
  const opportunities: Opportunity[] = []
  const oppRows: Row[] = []
  const oppLineRows: Row[] = []
  const historyRows: Row[] = []
  const rivalRows: Row[] = []
  for (const c of customers) {
    const n =
      c.kind === 'organisation'
        ? r.weighted([
            [1, 25],
            [2, 35],
            [3, 25],
            [4, 15],
          ] as const)
        : r.int(0, 2)
    for (let k = 0; k < n; k++) {
      // Closed ones closed at least two weeks after the customer came, within the last 18 months.
      const closable = Math.max(c.createdAt + 14 * DAY, now - 540 * DAY)
      const drawn = r.weighted([
        ['open', 50],
        ['won', 28],
        ['lost', 22],
      ] as const)
      const status = closable < now - DAY ? drawn : 'open'
      // How far it got: the last open stage it reached (won ones passed them all).
      const reached =
        status === 'won'
          ? open.length - 1
          : r.weighted(
              (status === 'open'
                ? [
                    [0, 30],
                    [1, 28],
                    [2, 25],
                    [3, 17],
                  ]
                : [
                    [0, 35],
                    [1, 30],
                    [2, 20],
                    [3, 15],
                  ]) as [number, number][],
            )
      const lines = linesFor(c, c.level === 'strategic' || c.level === 'key')
      const closedAt = status === 'open' ? null : between(r, closable, now - DAY)
      const end = closedAt ?? now - r.int(0, 72) * HOUR
      const createdAt = Math.max(c.createdAt, end - r.int(10, 120) * DAY)
      // MEDDIC as far as the gates of the stages it passed ask, and some letters beyond.
      const meddic: Meddic = {}
      const contactsOf = (roles: DealRole[]) => c.contacts.find((x) => roles.includes(x.dealRole))
      const want = (gateStage: number) => reached >= gateStage || r.next() < 0.3
      if (want(2)) meddic.metrics = r.pick(MEDDIC_TEXT.metrics!)
      if (want(2)) {
        const buyer = contactsOf(['economic_buyer', 'finance', 'decision_maker']) ?? c.contacts[0]!
        meddic.economicBuyer = `${buyer.name}（${buyer.title}）`
        meddic.economicBuyerContactId = buyer.id
      }
      if (want(2)) meddic.identifyPain = r.pick(MEDDIC_TEXT.identifyPain!)
      if (want(3)) meddic.decisionCriteria = r.pick(MEDDIC_TEXT.decisionCriteria!)
      if (want(3)) meddic.decisionProcess = r.pick(MEDDIC_TEXT.decisionProcess!)
      if (want(3)) {
        const champion = contactsOf(['influencer', 'user']) ?? c.contacts.at(-1)!
        meddic.champion = `${champion.name}，${champion.title}`
        meddic.championContactId = champion.id
      }
      // Stage history: created into the first stage, then one step per stage, then closed.
      const path = [
        ...open.slice(0, reached + 1),
        ...(status === 'won' ? [wonStage] : status === 'lost' ? [lostStage] : []),
      ]
      const id = newId()
      let at = createdAt
      let from: { id: string; at: number } | null = null
      for (const [i, stage] of path.entries()) {
        at =
          i === 0
            ? createdAt
            : i === path.length - 1 && closedAt
              ? closedAt
              : between(r, at, createdAt + ((end - createdAt) * (i + 0.5)) / path.length)
        historyRows.push({
          tenantId: tenant,
          opportunityId: id,
          fromStageId: from?.id ?? null,
          toStageId: stage.id,
          secondsInStage: from ? Math.round((at - from.at) / 1000) : null,
          actorId: c.owner.id,
          at: new Date(at),
        })
        from = { id: stage.id, at }
      }
      const stage = path.at(-1)!
      const main = lines[0]!
      const model = main.name.split(' ').slice(0, 2).join(' ')
      const name = `${c.name.replace(/(控股集团|股份)?有限(责任)?公司$/, '')} · ${model}${main.quantity > 1 ? ` × ${main.quantity}` : ''}`
      const reason =
        status === 'won'
          ? r.pick(settings.wonReasons)
          : status === 'lost'
            ? r.pick(settings.lostReasons)
            : null
      opportunities.push({ id, name, customer: c, status, reached, lines, closedAt })
      oppRows.push({
        id,
        name,
        customerId: c.id,
        contactId: c.contacts[0]!.id,
        pipelineId: pipeline.id,
        stageId: stage.id,
        status,
        amount: amountOf(lines),
        probability: stage.probability,
        expectedCloseDate: dayOf(closedAt ?? now + r.int(-15, 170) * DAY),
        priceBookId: c.level === 'strategic' || c.level === 'key' ? String(fleet.id) : String(standard.id),
        meddic,
        meddicScore: meddicScore(meddic),
        source: r.pick(SOURCES),
        stageEnteredAt: new Date(at),
        closedAt: closedAt ? new Date(closedAt) : null,
        closeReason: reason,
        closeNote:
          reason && r.next() < 0.3 ? (status === 'won' ? '客户认可整体方案' : '客户选择了其他品牌') : null,
        ownerId: c.owner.id,
        unitId: c.owner.unitId,
        orgId: c.owner.orgId,
        createdBy: c.owner.id,
        createdAt: new Date(createdAt),
        updatedAt: new Date(at),
      })
      oppLineRows.push(
        ...lines.map((l, position) => ({
          tenantId: tenant,
          opportunityId: id,
          position,
          ...l,
          amount: lineAmount(l.quantity, l.unitPrice, l.discountPct),
        })),
      )
      if (r.next() < 0.45 || reason === '竞争对手')
        for (const competitorId of new Set([
          r.pick(competitors),
          ...(r.next() < 0.3 ? [r.pick(competitors)] : []),
        ]))
          rivalRows.push({
            tenantId: tenant,
            opportunityId: id,
            competitorId,
            threat: reason === '竞争对手' ? 'high' : r.pick(['low', 'medium', 'medium', 'high'] as const),
            notes: r.next() < 0.4 ? '对方报价更低' : null,
          })
    }
  }
  await insertAsOwners(as, opportunitiesRepo, oppRows)
  await inChunks(oppLineRows, (chunk) => db.insert(opportunityLines).values(chunk as never))
  await inChunks(historyRows, (chunk) => db.insert(opportunityStageHistory).values(chunk as never))
  await inChunks(rivalRows, (chunk) => db.insert(opportunityCompetitors).values(chunk as never))

  // Orders over 18 months: lines, statuses by age, payments (some still owed). ---------------------
  const won = opportunities.filter((o) => o.status === 'won')
  // Won deals whose quote is accepted get their order through the service further down.
  const quoted = new Set<string>()
  const orderRows: Row[] = []
  const orderLineRows: Row[] = []
  const paymentRows: Row[] = []
  const addOrder = (
    c: Customer,
    at: number,
    lines: { productId: string; name: string; quantity: number; unitPrice: number; discount: number }[],
    opportunityId: string | null,
  ) => {
    const id = newId()
    const age = (now - at) / DAY
    const status =
      age < 7
        ? r.weighted([
            ['draft', 20],
            ['confirmed', 40],
            ['shipped', 25],
            ['completed', 10],
            ['cancelled', 5],
          ] as const)
        : age < 30
          ? r.weighted([
              ['confirmed', 15],
              ['shipped', 30],
              ['completed', 50],
              ['cancelled', 5],
            ] as const)
          : r.weighted([
              ['completed', 90],
              ['cancelled', 6],
              ['refunded', 4],
            ] as const)
    const cap = (t: number) => Math.min(t, now - HOUR)
    const confirmedAt = status === 'draft' || status === 'cancelled' ? null : cap(at + r.int(1, 24) * HOUR)
    const shippedAt = ['shipped', 'completed', 'refunded'].includes(status)
      ? cap(confirmedAt! + r.int(1, 5) * DAY)
      : null
    const completedAt = ['completed', 'refunded'].includes(status)
      ? cap(shippedAt! + r.int(2, 10) * DAY)
      : null
    const subtotal = lines.reduce((s, l) => s + lineGross(l.quantity, l.unitPrice), 0)
    const discountTotal = lines.reduce((s, l) => s + l.discount, 0)
    const total = subtotal - discountTotal
    // What was paid: by status, in one or two payments, a refund undoing all of it for refunded orders.
    const share =
      status === 'completed' || status === 'refunded'
        ? r.next() < 0.94 || status === 'refunded'
          ? 1
          : r.pick([0.3, 0.5, 0.8])
        : status === 'shipped'
          ? r.weighted([
              [1, 55],
              [0.5, 25],
              [0, 20],
            ] as const)
          : status === 'confirmed'
            ? r.weighted([
                [1, 30],
                [0.3, 30],
                [0, 40],
              ] as const)
            : 0
    const paid = Math.round(total * share)
    const method = r.pick(PAYMENT_METHODS.filter((m) => m !== 'other'))
    const parts =
      paid > 0 && share === 1 && r.next() < 0.3
        ? [Math.round(paid * 0.3), paid - Math.round(paid * 0.3)]
        : paid > 0
          ? [paid]
          : []
    let paidAt = confirmedAt ?? at
    for (const amount of parts) {
      paidAt = cap(paidAt + r.int(0, 10) * DAY)
      paymentRows.push({
        tenantId: tenant,
        orderId: id,
        kind: 'payment',
        amount,
        method,
        paidAt: new Date(paidAt),
        createdBy: c.owner.id,
      })
    }
    if (status === 'refunded')
      paymentRows.push({
        tenantId: tenant,
        orderId: id,
        kind: 'refund',
        amount: paid,
        method,
        paidAt: new Date(cap(completedAt! + r.int(1, 10) * DAY)),
        note: r.pick(['车辆质量问题退车', '客户取消购车']),
        createdBy: c.owner.id,
      })
    orderLineRows.push(
      ...lines.map((l, position) => ({
        tenantId: tenant,
        orderId: id,
        position,
        productId: l.productId,
        sku: products.find((p) => p.id === l.productId)?.code ?? null,
        name: l.name,
        quantity: l.quantity,
        unitPrice: l.unitPrice,
        discount: l.discount,
        amount: lineGross(l.quantity, l.unitPrice) - l.discount,
      })),
    )
    const contact = c.contacts[0]!
    const last = Math.max(at, confirmedAt ?? 0, completedAt ?? 0, paidAt)
    orderRows.push({
      id,
      customerId: c.id,
      contactId: contact.id,
      opportunityId,
      source: opportunityId ? 'opportunity' : 'direct',
      status,
      orderedAt: new Date(at),
      subtotal,
      discountTotal,
      total,
      paidTotal: paid,
      refundedTotal: status === 'refunded' ? paid : 0,
      paymentDueDate: status === 'draft' ? null : dayOf(at + (c.level === 'strategic' ? 60 : 30) * DAY),
      shippingAddress: c.address,
      regionCode: c.regionCode,
      confirmedAt: confirmedAt ? new Date(confirmedAt) : null,
      shippedAt: shippedAt ? new Date(shippedAt) : null,
      completedAt: completedAt ? new Date(completedAt) : null,
      cancelledAt: status === 'cancelled' ? new Date(cap(at + r.int(1, 72) * HOUR)) : null,
      ownerId: c.owner.id,
      unitId: c.owner.unitId,
      orgId: c.owner.orgId,
      createdBy: c.owner.id,
      createdAt: new Date(at),
      updatedAt: new Date(last),
    })
  }
  const toOrderLines = (lines: Line[]) =>
    lines.map((l) => ({
      ...l,
      discount: lineGross(l.quantity, l.unitPrice) - lineAmount(l.quantity, l.unitPrice, l.discountPct),
    }))
  // Most won deals became an order within a week.
  const quoteCount = Math.max(4, Math.round((size.customers * 40) / 300))
  const wonForQuotes = new Set(
    won
      .filter(() => r.next() < 0.2)
      .slice(0, Math.round(quoteCount / 4))
      .map((o) => o.id),
  )
  for (const o of won)
    if (!wonForQuotes.has(o.id) && r.next() < 0.7)
      addOrder(
        o.customer,
        Math.min(o.closedAt! + r.int(0, 7) * DAY, now - 2 * HOUR),
        toOrderLines(o.lines),
        o.id,
      )
  // Repeat business: accessories, services and the odd car, by customer weight.
  const target = Math.round((size.customers * 20) / 3)
  const buyers = customers.filter(() => r.next() < 0.78)
  const weights = buyers.map(
    (c) => [c, LEVEL_WEIGHT[c.level]! * (c.kind === 'individual' ? 0.5 : 1)] as const,
  )
  while (orderRows.length < target && buyers.length) {
    const c = r.weighted(weights)
    const at = between(r, Math.max(c.createdAt, now - 547 * DAY), now - HOUR)
    const car = r.next() < (c.kind === 'individual' ? 0.08 : 0.25)
    const items = car
      ? [r.pick(cars), ...(r.next() < 0.5 ? [r.pick(extras)] : [])]
      : [...new Set([r.pick(extras), ...(r.next() < 0.4 ? [r.pick(extras)] : [])])]
    const qty = c.kind === 'individual' ? 1 : r.int(1, car ? 6 : 20)
    addOrder(
      c,
      at,
      items.map((p) => {
        const quantity = p.category === '软件服务' || p.category === '金融服务' ? 1 : qty
        const gross = lineGross(quantity, p.price)
        return {
          productId: p.id,
          name: p.name,
          quantity,
          unitPrice: p.price,
          discount: r.next() < 0.3 ? Math.round((gross * r.int(1, 5)) / 100) : 0,
        }
      }),
      null,
    )
  }
  // Numbers as the order counter gives them: per year of the order, in order.
  const sorted = [...orderRows].sort(
    (a, b) => (a.orderedAt as Date).getTime() - (b.orderedAt as Date).getTime(),
  )
  const perYear = new Map<string, number>()
  for (const o of sorted) {
    // The workspace's year (Asia/Shanghai, UTC+8).
    const year = new Date((o.orderedAt as Date).getTime() + 8 * HOUR).getUTCFullYear().toString()
    const n = (perYear.get(year) ?? 0) + 1
    perYear.set(year, n)
    o.number = `${settings.orderNumberPrefix}-${year}-${String(n).padStart(5, '0')}`
  }
  await insertAsOwners(as, ordersRepo, sorted)
  await inChunks(orderLineRows, (chunk) => db.insert(orderLines).values(chunk as never))
  await inChunks(paymentRows, (chunk) => db.insert(orderPayments).values(chunk as never))
  for (const [year, value] of perYear)
    await db
      .insert(salesCounters)
      .values({ tenantId: tenant, key: `order:${year}`, value })
      .onConflictDoUpdate({ target: [salesCounters.tenantId, salesCounters.key], set: { value } })

  // Quotes through the approval flow, as the salesperson (and their manager) would. ---------------
  const candidates = [
    ...won.filter((o) => wonForQuotes.has(o.id)),
    ...opportunities.filter((o) => o.status === 'open' && o.reached >= 1 && r.next() < 0.5),
  ].slice(0, quoteCount)
  let quotes = 0
  for (const o of candidates) {
    const seller = await as(o.customer.owner.id)
    const fate = o.status === 'won' ? 'accepted' : QUOTE_FATES[quotes % QUOTE_FATES.length]!
    const deep = fate === 'pending' || fate === 'rejected' || fate === 'managerApproved'
    const threshold = settings.quoteApprovalDiscountPct
    const q = await createQuote(seller, {
      opportunityId: o.id,
      title: `${o.name} 报价`,
      contactId: o.customer.contacts[0]!.id,
      lines: o.lines.map((l, i) => ({
        productId: l.productId,
        quantity: l.quantity,
        // A discount over the threshold needs a manager's approval.
        discountPct: deep && i === 0 ? threshold + r.int(2, 8) : Math.min(l.discountPct, threshold),
      })),
      terms: '交车后 30 日内付清全款；整车质保 3 年或 10 万公里。',
    })
    quotes++
    if (fate === 'draft') continue
    await submitQuote(seller, q.id)
    const manager = o.customer.owner.managerId ? await as(o.customer.owner.managerId) : null
    if (fate === 'rejected' && manager)
      await decideQuote(manager, q.id, 'reject', { comment: '折扣过高，请先与客户确认付款方式' })
    if (fate === 'managerApproved' && manager)
      await decideQuote(manager, q.id, 'approve', { comment: '同意，本季度重点客户' })
    if (fate === 'sent' || fate === 'accepted') await sendQuote(seller, q.id)
    if (fate === 'accepted') {
      await answerQuote(seller, q.id, 'accept')
      // The order of the won deal, from its accepted quote, through the orders services.
      const order = await orderFromOpportunity(seller, o.id, { paymentDueDate: dayOf(now + 30 * DAY) })
      await setOrderStatus(seller, order.id, 'confirmed')
      await recordPayment(seller, order.id, {
        kind: 'payment',
        amount: Math.round(order.total * 0.3),
        method: 'bank_transfer',
        reference: '定金',
      })
      quoted.add(o.id)
    }
  }

  // The customers' order totals and A–E groups, as the orders module keeps them. -----------------
  await refreshCustomerTotals(
    ctx,
    customers.map((c) => c.id),
  )
  await recomputeCustomerGroups(ctx)

  // Follow-ups on customers and open opportunities, the last two months. --------------------------
  const followUps: Row[] = []
  const followUp = (type: 'customer' | 'opportunity', subjectId: string, c: Customer) => {
    for (let k = r.int(1, 3); k > 0; k--) {
      const at = now - r.int(1, 60) * DAY - r.int(0, 10) * HOUR
      followUps.push({
        subjectType: type,
        subjectId,
        type: r.weighted([
          ['call', 5],
          ['visit', 2],
          ['wechat', 3],
        ] as const),
        content: r.pick(FOLLOW_UP_NOTES),
        outcome: r.next() < 0.4 ? '有意向' : null,
        occurredAt: new Date(at),
        nextAt: new Date(at + r.int(3, 14) * DAY),
        nextStep: r.pick(['发送最新报价', '邀约试驾', '确认交车时间', '回访用车体验']),
        ownerId: c.owner.id,
        unitId: c.owner.unitId,
        orgId: c.owner.orgId,
      })
    }
  }
  for (const c of customers) if (r.next() < 0.5) followUp('customer', c.id, c)
  for (const o of opportunities)
    if (o.status === 'open' && r.next() < 0.4) followUp('opportunity', o.id, o.customer)
  await inChunks(followUps, (chunk) => followUpsRepo.insert(ctx, chunk))
  // Each subject's last and next follow-up, as the follow-up subjects keep them.
  for (const table of ['customers', 'opportunities'] as const)
    await db.execute(sql`
      with f as (
        select subject_id as id, max(occurred_at) as last_at,
          (array_agg(next_at order by occurred_at desc, id desc))[1] as next_at
        from follow_ups where tenant_id = ${tenant} and subject_type = ${table === 'customers' ? 'customer' : 'opportunity'}
        group by subject_id
      )
      update ${sql.raw(table)} t set last_follow_up_at = f.last_at, next_follow_up_at = f.next_at
      from f where t.tenant_id = ${tenant} and t.id = f.id`)

  // Tasks and meetings this month and next, through the tasks service. ----------------------------
  const monthStart = new Date(new Date(now).getFullYear(), new Date(now).getMonth(), 1).getTime()
  const nextMonthEnd = new Date(new Date(now).getFullYear(), new Date(now).getMonth() + 2, 1).getTime() - DAY
  const taskCount = Math.max(5, Math.round(size.customers / 3))
  const openOpps = opportunities.filter((o) => o.status === 'open')
  for (let i = 0; i < taskCount; i++) {
    const [kind, title] = r.pick(TASKS)
    const opp = r.next() < 0.5 ? r.pick(openOpps) : null
    const c = opp?.customer ?? r.pick(customers)
    const seller = c.owner
    const day = between(r, monthStart, nextMonthEnd)
    const start = new Date(day - (day % DAY) + r.int(1, 9) * HOUR) // 09:00–17:00 in UTC+8
    const timed = kind === 'meeting' || kind === 'visit'
    const colleague = sellers.find((s) => s.managerId === seller.managerId && s.id !== seller.id)
    const task = await createTask(await as(seller.id), {
      kind,
      title: `${title}：${c.name}`,
      ...(timed
        ? { startAt: start, endAt: new Date(start.getTime() + r.int(1, 3) * HOUR) }
        : { dueAt: start }),
      location:
        kind === 'visit'
          ? c.address
          : kind === 'meeting'
            ? r.pick(['公司会议室', '客户会议室', '线上会议'])
            : null,
      priority: r.weighted([
        ['normal', 6],
        ['high', 2],
        ['low', 2],
      ] as const),
      subjectType: opp ? 'opportunity' : 'customer',
      subjectId: opp?.id ?? c.id,
      contactIds: [c.contacts[0]!.id],
      participantIds:
        kind === 'meeting'
          ? // The demo's admin sits in on every third meeting: its calendar has something to show.
            [seller.managerId, colleague?.id, i % 3 === 0 ? size.adminId : null].filter(
              (x): x is string => !!x,
            )
          : [],
      remindMinutesBefore: r.pick([15, 30, 60, null]),
    })
    if (start.getTime() < now && r.next() < 0.7) await setTaskStatus(await as(seller.id), task.id, 'done')
  }

  return {
    customers: customers.length,
    contacts: contactRows.length,
    opportunities: opportunities.length,
    quotes,
    orders: orderRows.length + quoted.size,
    tasks: taskCount,
  }
}
