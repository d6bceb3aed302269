import { i18n } from '../../i18n/index.js'

/** Strings of the campaign pages (运营推广), beside the app's catalogue. */
const zhCN = {
  menu: '推广活动',
  title: '推广活动',
  new: '新建活动',
  kind: '类型',
  kinds: {
    seo: 'SEO',
    ads: '广告投放',
    article: '内容文章',
    sms: '短信',
    email: '邮件',
    official_account_post: '公众号推文',
    event: '线下活动',
    live_stream: '直播',
    referral: '转介绍',
    other: '其他',
  },
  code: '活动编码',
  codeHelp: '链接和表单以 utm_campaign=编码 带上，线索即归因到本活动',
  channel: '投放渠道',
  period: '活动周期',
  budget: '预算（元）',
  actualCost: '实际花费（元）',
  status: '状态',
  statuses: { planned: '计划中', active: '进行中', ended: '已结束' },
  unit: '所属组织',
  notes: '备注',
  firstTouch: '首触线索',
  lastTouch: '末触线索',
  qualified: '合格线索',
  converted: '已转化',
  intents: '响应次数',
  members: '活动成员',
  cpl: '单条线索成本',
  cpql: '单条合格线索成本',
  budgetUsed: '预算使用',
  trend: '每日响应',
  link: '追踪链接',
  linkHelp: '在落地页或官网表单的网址后加上此参数：',
  firstTouchTag: '首触',
  lastResponse: '最近响应',
  firstResponse: '首次响应',
  lead: '线索',
  grade: '等级',
  back: '返回活动列表',
  confirmDelete: '删除后活动进入回收站，已归因的线索保留其历史。确定吗？',
}
type Tree = typeof zhCN

const en: Tree = {
  menu: 'Campaigns',
  title: 'Campaigns',
  new: 'New campaign',
  kind: 'Type',
  kinds: {
    seo: 'SEO',
    ads: 'Paid ads',
    article: 'Articles',
    sms: 'SMS',
    email: 'Email',
    official_account_post: 'Official account post',
    event: 'Offline event',
    live_stream: 'Live stream',
    referral: 'Referral',
    other: 'Other',
  },
  code: 'Campaign code',
  codeHelp: 'Links and forms carry utm_campaign=code; the leads they bring are attributed here',
  channel: 'Channel',
  period: 'Period',
  budget: 'Budget (CNY)',
  actualCost: 'Actual cost (CNY)',
  status: 'Status',
  statuses: { planned: 'Planned', active: 'Active', ended: 'Ended' },
  unit: 'Owning org unit',
  notes: 'Notes',
  firstTouch: 'First-touch leads',
  lastTouch: 'Last-touch leads',
  qualified: 'Qualified leads',
  converted: 'Converted',
  intents: 'Responses',
  members: 'Members',
  cpl: 'Cost per lead',
  cpql: 'Cost per qualified lead',
  budgetUsed: 'Budget used',
  trend: 'Responses per day',
  link: 'Tracking link',
  linkHelp: 'Add this parameter to the landing page or web form URL:',
  firstTouchTag: 'First touch',
  lastResponse: 'Last response',
  firstResponse: 'First response',
  lead: 'Lead',
  grade: 'Grade',
  back: 'Back to campaigns',
  confirmDelete: 'The campaign goes to the recycle bin; its leads keep their history. Delete?',
}

const zhTW: Tree = {
  menu: '推廣活動',
  title: '推廣活動',
  new: '新增活動',
  kind: '類型',
  kinds: {
    seo: 'SEO',
    ads: '廣告投放',
    article: '內容文章',
    sms: '簡訊',
    email: '郵件',
    official_account_post: '公眾號推文',
    event: '線下活動',
    live_stream: '直播',
    referral: '轉介紹',
    other: '其他',
  },
  code: '活動編碼',
  codeHelp: '連結和表單以 utm_campaign=編碼 帶上，線索即歸因到本活動',
  channel: '投放渠道',
  period: '活動週期',
  budget: '預算（元）',
  actualCost: '實際花費（元）',
  status: '狀態',
  statuses: { planned: '計劃中', active: '進行中', ended: '已結束' },
  unit: '所屬組織',
  notes: '備註',
  firstTouch: '首觸線索',
  lastTouch: '末觸線索',
  qualified: '合格線索',
  converted: '已轉化',
  intents: '回應次數',
  members: '活動成員',
  cpl: '單筆線索成本',
  cpql: '單筆合格線索成本',
  budgetUsed: '預算使用',
  trend: '每日回應',
  link: '追蹤連結',
  linkHelp: '在落地頁或官網表單的網址後加上此參數：',
  firstTouchTag: '首觸',
  lastResponse: '最近回應',
  firstResponse: '首次回應',
  lead: '線索',
  grade: '等級',
  back: '返回活動列表',
  confirmDelete: '刪除後活動進入回收站，已歸因的線索保留其歷史。確定嗎？',
}

for (const [lng, tree] of [
  ['zh-CN', zhCN],
  ['zh-TW', zhTW],
  ['en', en],
] as [string, Tree][])
  i18n.addResourceBundle(lng, 'translation', { campaigns: tree }, true, true)

/** 分 → a currency string in the current language (¥1,234.50). */
export const yuan = (fen: number | null | undefined) =>
  fen == null
    ? '—'
    : (fen / 100).toLocaleString(i18n.language, {
        style: 'currency',
        currency: 'CNY',
        maximumFractionDigits: 2,
      })

/** A campaign's period in the current language (2026/11/11 ~ …, 11/11/2026 ~ 11/30/2026); '' when it has none. */
export const period = (startsOn: string | null | undefined, endsOn: string | null | undefined) => {
  if (!startsOn && !endsOn) return ''
  // Local midnight: a bare YYYY-MM-DD would be read as UTC and could show the day before.
  const day = (d: string | null | undefined) =>
    d ? new Date(`${d}T00:00:00`).toLocaleDateString(i18n.language) : '…'
  return `${day(startsOn)} ~ ${day(endsOn)}`
}
