import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Ctx } from '../../../platform/access/actor.js'
import { loadDefinitions } from '../../../platform/custom-fields/definitions.service.js'
import type { CustomFieldType } from '../../../platform/custom-fields/schema.js'
import type { Locale } from '../../../platform/i18n/messages.js'
import type { EVENT_TYPES } from '../../intake/schema.js'
import { leads } from '../../leads/schema.js'
import { LEAD_STATUS_LABELS } from '../../leads/status.labels.js'
import { type IDENTITY_KINDS, persons } from '../../quality/schema.js'
import { CUSTOMER_GROUPS, customers } from '../../sales/customers/schema.js'
import type { ConditionOperator } from './types.js'

/**
 * The condition catalogue (条件字段): every field a tag rule or a segment may test, its kind, the
 * operators and parameters it takes, and its label in the three languages. Base fields are static;
 * lead and customer custom fields come from the workspace's definitions at each call.
 */

export type FieldKind =
  | 'text'
  | 'number'
  | 'money'
  | 'date'
  | 'region'
  | 'enum'
  | 'uuid'
  | 'boolean'
  | 'tags'
  | 'identity'
  | 'channel'
export type FieldGroup =
  | 'person'
  | 'tags'
  | 'identity'
  | 'lead'
  | 'customer'
  | 'channel'
  | 'behaviour'
  | 'orders'
export type ParamName = 'days' | 'eventType' | 'property' | 'propertyValue' | 'channelId'
export type Labels = Record<Locale, string>

export interface FieldOption {
  value: string
  label: Labels
}

/** How the compiler reads a field (the catalogue's internal half). */
export type FieldSource =
  | { type: 'person'; column: AnyPgColumn }
  | { type: 'lead' | 'customer'; column: AnyPgColumn }
  | { type: 'lead_custom' | 'customer_custom'; key: string; customType: CustomFieldType }
  | { type: 'tags' | 'identity' | 'channel' }
  | { type: 'aggregate'; name: AggregateName }

export type AggregateName =
  | 'intents.count'
  | 'events.count'
  | 'events.first'
  | 'events.last'
  | 'orders.count'
  | 'orders.amount'
  | 'orders.last'

export interface FieldSpec {
  field: string
  group: FieldGroup
  kind: FieldKind
  ops: readonly ConditionOperator[]
  params: readonly ParamName[]
  /** Parameters that must be given (events.count: eventType). */
  requiredParams?: readonly ParamName[]
  label: Labels
  options?: FieldOption[]
  /** Multi-valued (multi_select custom fields): in = any of, all = every one of. */
  multi?: boolean
  /** Whole numbers only (counts, money in minor units). */
  integer?: boolean
  source: FieldSource
}

// ---------------------------------------------------------------- operators per kind

export const TEXT_OPS: readonly ConditionOperator[] = [
  'eq',
  'ne',
  'in',
  'not_in',
  'contains',
  'starts_with',
  'regex',
  'empty',
  'not_empty',
]
export const NUMBER_OPS: readonly ConditionOperator[] = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'empty',
  'not_empty',
]
/** Aggregates always have a value (0 when there is nothing to count). */
export const AGGREGATE_OPS: readonly ConditionOperator[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between']
export const DATE_OPS: readonly ConditionOperator[] = [
  'in_last_days',
  'not_in_last_days',
  'before',
  'after',
  'between',
  'empty',
  'not_empty',
]
/** Region codes compare hierarchically: eq 31 (上海) holds for 310101. */
export const REGION_OPS: readonly ConditionOperator[] = ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty']
export const ENUM_OPS: readonly ConditionOperator[] = ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty']
export const MULTI_OPS: readonly ConditionOperator[] = ['in', 'all', 'not_in', 'empty', 'not_empty']
export const UUID_OPS: readonly ConditionOperator[] = ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty']
export const BOOLEAN_OPS: readonly ConditionOperator[] = ['eq', 'ne', 'empty', 'not_empty']
export const SET_OPS: readonly ConditionOperator[] = ['in', 'all', 'not_in', 'empty', 'not_empty']

const l = (zhCN: string, zhTW: string, en: string): Labels => ({ 'zh-CN': zhCN, 'zh-TW': zhTW, en })

// ---------------------------------------------------------------- option lists

export const IDENTITY_LABELS: Record<(typeof IDENTITY_KINDS)[number], Labels> = {
  mobile: l('手机号', '手機號碼', 'Mobile'),
  phone: l('固定电话', '市話', 'Phone'),
  email: l('邮箱', '電子郵件', 'Email'),
  openid: l('微信 OpenID', '微信 OpenID', 'WeChat OpenID'),
  unionid: l('微信 UnionID', '微信 UnionID', 'WeChat UnionID'),
  device: l('设备号', '裝置號', 'Device id'),
  external: l('外部编号', '外部編號', 'External id'),
  credit_code: l('统一社会信用代码', '統一社會信用代碼', 'Credit code'),
}

export const EVENT_TYPE_LABELS: Record<(typeof EVENT_TYPES)[number], Labels> = {
  view: l('浏览', '瀏覽', 'View'),
  register: l('注册', '註冊', 'Register'),
  login: l('登录', '登入', 'Log in'),
  favourite: l('收藏', '收藏', 'Favourite'),
  add_to_cart: l('加购', '加入購物車', 'Add to cart'),
  order: l('下单', '下單', 'Order'),
  pay: l('支付', '付款', 'Pay'),
  share: l('分享', '分享', 'Share'),
  follow: l('关注', '關注', 'Follow'),
  check_in: l('签到', '簽到', 'Check in'),
  consult: l('咨询', '諮詢', 'Consult'),
  click: l('点击', '點擊', 'Click'),
  submit_form: l('提交表单', '提交表單', 'Submit form'),
}

const opts = (labels: Record<string, Labels>): FieldOption[] =>
  Object.entries(labels).map(([value, label]) => ({ value, label }))
const same = (values: readonly string[]): FieldOption[] =>
  values.map((v) => ({ value: v, label: l(v, v, v) }))

// ---------------------------------------------------------------- base fields

type Base = Omit<FieldSpec, 'field'>
const person = (column: AnyPgColumn, kind: FieldKind, label: Labels, extra: Partial<Base> = {}): Base => ({
  group: 'person',
  kind,
  ops: opsOf(kind),
  params: [],
  label,
  source: { type: 'person', column },
  ...extra,
})
const onLead = (column: AnyPgColumn, kind: FieldKind, label: Labels, extra: Partial<Base> = {}): Base => ({
  group: 'lead',
  kind,
  ops: opsOf(kind),
  params: [],
  label: { 'zh-CN': `线索·${label['zh-CN']}`, 'zh-TW': `線索·${label['zh-TW']}`, en: `Lead: ${label.en}` },
  source: { type: 'lead', column },
  ...extra,
})
const onCustomer = (
  column: AnyPgColumn,
  kind: FieldKind,
  label: Labels,
  extra: Partial<Base> = {},
): Base => ({
  group: 'customer',
  kind,
  ops: opsOf(kind),
  params: [],
  label: {
    'zh-CN': `客户·${label['zh-CN']}`,
    'zh-TW': `客戶·${label['zh-TW']}`,
    en: `Customer: ${label.en}`,
  },
  source: { type: 'customer', column },
  ...extra,
})

export function opsOf(kind: FieldKind, multi = false): readonly ConditionOperator[] {
  switch (kind) {
    case 'text':
      return TEXT_OPS
    case 'number':
    case 'money':
      return NUMBER_OPS
    case 'date':
      return DATE_OPS
    case 'region':
      return REGION_OPS
    case 'enum':
      return multi ? MULTI_OPS : ENUM_OPS
    case 'uuid':
      return UUID_OPS
    case 'boolean':
      return BOOLEAN_OPS
    case 'tags':
    case 'identity':
    case 'channel':
      return SET_OPS
  }
}

const BASE: Record<string, Base> = {
  'person.name': person(persons.name, 'text', l('姓名', '姓名', 'Name')),
  'person.company': person(persons.company, 'text', l('公司', '公司', 'Company')),
  'person.kind': person(persons.kind, 'enum', l('类型', '類型', 'Kind'), {
    options: opts({
      person: l('个人', '個人', 'Person'),
      organisation: l('组织', '組織', 'Organisation'),
    }),
  }),
  'person.regionCode': person(persons.regionCode, 'region', l('地区', '地區', 'Region')),
  'person.firstSeenAt': person(persons.firstSeenAt, 'date', l('首次出现', '首次出現', 'First seen')),
  'person.lastSeenAt': person(persons.lastSeenAt, 'date', l('最近出现', '最近出現', 'Last seen')),
  tags: {
    group: 'tags',
    kind: 'tags',
    ops: SET_OPS,
    params: [],
    label: l('标签', '標籤', 'Tags'),
    source: { type: 'tags' },
  },
  identity: {
    group: 'identity',
    kind: 'identity',
    ops: SET_OPS,
    params: [],
    label: l('身份标识', '身分識別', 'Identities'),
    options: opts(IDENTITY_LABELS),
    source: { type: 'identity' },
  },
  channel: {
    group: 'channel',
    kind: 'channel',
    ops: SET_OPS,
    params: [],
    label: l('来源渠道', '來源渠道', 'Channels'),
    source: { type: 'channel' },
  },
  'intents.count': {
    group: 'channel',
    kind: 'number',
    ops: AGGREGATE_OPS,
    params: ['days', 'channelId'],
    integer: true,
    label: l('意向次数', '意向次數', 'Intents'),
    source: { type: 'aggregate', name: 'intents.count' },
  },
  'events.count': {
    group: 'behaviour',
    kind: 'number',
    ops: AGGREGATE_OPS,
    params: ['eventType', 'days', 'property', 'propertyValue'],
    requiredParams: ['eventType'],
    integer: true,
    label: l('行为次数', '行為次數', 'Events'),
    source: { type: 'aggregate', name: 'events.count' },
  },
  'events.first': {
    group: 'behaviour',
    kind: 'date',
    ops: DATE_OPS,
    params: ['eventType'],
    label: l('首次行为时间', '首次行為時間', 'First event'),
    source: { type: 'aggregate', name: 'events.first' },
  },
  'events.last': {
    group: 'behaviour',
    kind: 'date',
    ops: DATE_OPS,
    params: ['eventType'],
    label: l('最近行为时间', '最近行為時間', 'Last event'),
    source: { type: 'aggregate', name: 'events.last' },
  },
  'orders.count': {
    group: 'orders',
    kind: 'number',
    ops: AGGREGATE_OPS,
    params: ['days'],
    integer: true,
    label: l('订单数', '訂單數', 'Orders'),
    source: { type: 'aggregate', name: 'orders.count' },
  },
  'orders.amount': {
    group: 'orders',
    kind: 'money',
    ops: AGGREGATE_OPS,
    params: ['days'],
    integer: true,
    label: l('订单金额', '訂單金額', 'Order amount'),
    source: { type: 'aggregate', name: 'orders.amount' },
  },
  'orders.last': {
    group: 'orders',
    kind: 'date',
    ops: DATE_OPS,
    params: [],
    label: l('最近下单时间', '最近下單時間', 'Last order'),
    source: { type: 'aggregate', name: 'orders.last' },
  },
  'lead.name': onLead(leads.name, 'text', l('姓名', '姓名', 'Name')),
  'lead.company': onLead(leads.company, 'text', l('公司', '公司', 'Company')),
  'lead.title': onLead(leads.title, 'text', l('职务', '職務', 'Title')),
  'lead.source': onLead(leads.source, 'text', l('来源', '來源', 'Source')),
  'lead.status': onLead(leads.status, 'enum', l('状态', '狀態', 'Status'), {
    options: opts(LEAD_STATUS_LABELS),
  }),
  'lead.category': onLead(leads.category, 'text', l('产品类别', '產品類別', 'Category')),
  'lead.grade': onLead(leads.grade, 'text', l('等级', '等級', 'Grade')),
  'lead.regionCode': onLead(leads.regionCode, 'region', l('地区', '地區', 'Region')),
  'lead.score': onLead(leads.score, 'number', l('评分', '評分', 'Score'), { integer: true }),
  'lead.intentCount': onLead(leads.intentCount, 'number', l('意向次数', '意向次數', 'Intents'), {
    integer: true,
  }),
  'lead.channelId': onLead(leads.channelId, 'channel', l('渠道', '渠道', 'Channel'), { ops: UUID_OPS }),
  'lead.ownerId': onLead(leads.ownerId, 'uuid', l('负责人', '負責人', 'Owner')),
  'lead.createdAt': onLead(leads.createdAt, 'date', l('创建时间', '建立時間', 'Created')),
  'lead.lastIntentAt': onLead(leads.lastIntentAt, 'date', l('最近意向时间', '最近意向時間', 'Last intent')),
  'lead.lastFollowUpAt': onLead(leads.lastFollowUpAt, 'date', l('最近跟进', '最近跟進', 'Last follow-up')),
  'customer.name': onCustomer(customers.name, 'text', l('名称', '名稱', 'Name')),
  'customer.kind': onCustomer(customers.kind, 'enum', l('类型', '類型', 'Kind'), {
    options: opts({
      organisation: l('企业', '企業', 'Organisation'),
      individual: l('个人', '個人', 'Individual'),
    }),
  }),
  'customer.industry': onCustomer(customers.industry, 'text', l('行业', '行業', 'Industry')),
  'customer.size': onCustomer(customers.size, 'enum', l('规模', '規模', 'Size'), {
    options: same(['1-49', '50-199', '200-999', '1000+']),
  }),
  'customer.regionCode': onCustomer(customers.regionCode, 'region', l('地区', '地區', 'Region')),
  'customer.source': onCustomer(customers.source, 'text', l('来源', '來源', 'Source')),
  'customer.level': onCustomer(customers.level, 'text', l('级别', '級別', 'Level')),
  'customer.customerGroup': onCustomer(customers.customerGroup, 'enum', l('客户分组', '客戶分組', 'Group'), {
    options: same(CUSTOMER_GROUPS),
  }),
  'customer.status': onCustomer(customers.status, 'enum', l('状态', '狀態', 'Status'), {
    options: opts({ active: l('活跃', '活躍', 'Active'), inactive: l('停用', '停用', 'Inactive') }),
  }),
  'customer.orderCount': onCustomer(customers.orderCount, 'number', l('订单数', '訂單數', 'Orders'), {
    integer: true,
  }),
  'customer.orderTotal': onCustomer(customers.orderTotal, 'money', l('订单总额', '訂單總額', 'Order total'), {
    integer: true,
  }),
  'customer.channelId': onCustomer(customers.channelId, 'channel', l('渠道', '渠道', 'Channel'), {
    ops: UUID_OPS,
  }),
  'customer.ownerId': onCustomer(customers.ownerId, 'uuid', l('负责人', '負責人', 'Owner')),
  'customer.createdAt': onCustomer(customers.createdAt, 'date', l('创建时间', '建立時間', 'Created')),
  'customer.firstOrderAt': onCustomer(
    customers.firstOrderAt,
    'date',
    l('首次下单', '首次下單', 'First order'),
  ),
  'customer.lastOrderAt': onCustomer(customers.lastOrderAt, 'date', l('最近下单', '最近下單', 'Last order')),
  'customer.lastFollowUpAt': onCustomer(
    customers.lastFollowUpAt,
    'date',
    l('最近跟进', '最近跟進', 'Last follow-up'),
  ),
}

/** The static fields, by name (custom fields are added per workspace by `loadFieldCatalogue`). */
export const BASE_FIELDS: ReadonlyMap<string, FieldSpec> = new Map(
  Object.entries(BASE).map(([field, spec]) => [field, { field, ...spec }]),
)

/** Kind and operators of a custom field type. */
export function customKind(type: CustomFieldType): { kind: FieldKind; multi?: boolean } {
  switch (type) {
    case 'number':
      return { kind: 'number' }
    case 'money':
      return { kind: 'money' }
    case 'date':
    case 'datetime':
      return { kind: 'date' }
    case 'boolean':
      return { kind: 'boolean' }
    case 'single_select':
      return { kind: 'enum' }
    case 'multi_select':
      return { kind: 'enum', multi: true }
    case 'region':
      return { kind: 'region' }
    case 'user':
      return { kind: 'uuid' }
    default:
      return { kind: 'text' }
  }
}

/** Every field of the workspace: the base fields, then lead and customer custom fields. */
export async function loadFieldCatalogue(ctx: Ctx): Promise<Map<string, FieldSpec>> {
  const out = new Map(BASE_FIELDS)
  for (const object of ['lead', 'customer'] as const) {
    for (const d of await loadDefinitions(ctx, object)) {
      const { kind, multi } = customKind(d.type as CustomFieldType)
      const field = `${object}.custom.${d.key}`
      const prefix = object === 'lead' ? l('线索·', '線索·', 'Lead: ') : l('客户·', '客戶·', 'Customer: ')
      out.set(field, {
        field,
        group: object,
        kind,
        multi,
        integer: d.type === 'money' ? true : undefined,
        ops:
          d.type === 'long_text'
            ? ['contains', 'starts_with', 'regex', 'empty', 'not_empty']
            : opsOf(kind, multi ?? false),
        params: [],
        label: {
          'zh-CN': prefix['zh-CN'] + d.label,
          'zh-TW': prefix['zh-TW'] + d.label,
          en: prefix.en + d.label,
        },
        options:
          kind === 'enum'
            ? d.options.map((o) => ({ value: o.value, label: l(o.label, o.label, o.label) }))
            : undefined,
        source: {
          type: object === 'lead' ? 'lead_custom' : 'customer_custom',
          key: d.key,
          customType: d.type as CustomFieldType,
        },
      })
    }
  }
  return out
}

/** Catalogue entry as the API answers it, in one language. */
export function presentField(spec: FieldSpec, locale: Locale) {
  return {
    field: spec.field,
    group: spec.group,
    label: spec.label[locale],
    kind: spec.kind,
    ops: [...spec.ops],
    params: [...spec.params],
    ...(spec.requiredParams ? { requiredParams: [...spec.requiredParams] } : {}),
    ...(spec.multi ? { multi: true } : {}),
    ...(spec.options
      ? { options: spec.options.map((o) => ({ value: o.value, label: o.label[locale] })) }
      : {}),
  }
}
