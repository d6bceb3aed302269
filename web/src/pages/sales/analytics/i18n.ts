import { i18n } from '../../../i18n/index.js'

/** Strings of the sales analytics page. */
const zhCN = {
  title: '销售分析',
  lastDays: '最近 {{n}} 天',
  pipelineNote: '阶段转化与销售速度按所选销售流程统计',
  velocity: {
    title: '销售速度',
    formula: '进行中商机 × 赢率 × 平均成交金额 ÷ 平均成交天数',
    open: '进行中商机',
    winRate: '赢率',
    avgDeal: '平均成交金额',
    daysToWin: '平均成交周期（天）',
    velocity: '销售速度（每天）',
    closed: '赢单 / 输单',
    avgDays: '平均 {{d}} 天',
  },
  abc: {
    title: 'ABC 分析（按客户收入）',
    revenue: '收入',
    cumulative: '累计占比',
    class: '{{c}} 类',
    customers: '个客户',
    empty: '所选时间内没有订单收入',
    rule: '共 {{n}} 个有收入的客户，收入合计 {{total}}。A 类贡献前 80% 收入，B 类其后 15%，C 类最后 5%。',
  },
  conversion: {
    title: '阶段转化',
    empty: '所选时间内没有新商机',
    summary: '期间新建 {{total}} 个商机：赢单 {{won}}，输单 {{lost}}。箭头后为到下一阶段的转化率。',
  },
  winRate: {
    title: '赢率',
    by: { owner: '按人', source: '按来源', campaign: '按推广活动' },
    rate: '赢率',
    won: '赢单',
    lost: '输单',
    empty: '所选时间内没有已结束的商机',
    none: { owner: '未分配', source: '未知来源', campaign: '无推广活动' },
  },
  fva: {
    title: '预测与实际（按月）',
    month: '月份',
    forecast: '加权预测',
    wonAmount: '赢单金额',
    orderRevenue: '订单收入',
    pipelineAmount: '管道金额',
    empty: '还没有可对比的数据',
    more: '销售预测',
  },
}
type Tree = typeof zhCN

const zhTW: Tree = {
  title: '銷售分析',
  lastDays: '最近 {{n}} 天',
  pipelineNote: '階段轉化與銷售速度依所選銷售流程統計',
  velocity: {
    title: '銷售速度',
    formula: '進行中商機 × 贏率 × 平均成交金額 ÷ 平均成交天數',
    open: '進行中商機',
    winRate: '贏率',
    avgDeal: '平均成交金額',
    daysToWin: '平均成交週期（天）',
    velocity: '銷售速度（每天）',
    closed: '贏單 / 輸單',
    avgDays: '平均 {{d}} 天',
  },
  abc: {
    title: 'ABC 分析（依客戶收入）',
    revenue: '收入',
    cumulative: '累計佔比',
    class: '{{c}} 類',
    customers: '個客戶',
    empty: '所選時間內沒有訂單收入',
    rule: '共 {{n}} 個有收入的客戶，收入合計 {{total}}。A 類貢獻前 80% 收入，B 類其後 15%，C 類最後 5%。',
  },
  conversion: {
    title: '階段轉化',
    empty: '所選時間內沒有新商機',
    summary: '期間新建 {{total}} 個商機：贏單 {{won}}，輸單 {{lost}}。箭頭後為到下一階段的轉化率。',
  },
  winRate: {
    title: '贏率',
    by: { owner: '按人', source: '按來源', campaign: '按推廣活動' },
    rate: '贏率',
    won: '贏單',
    lost: '輸單',
    empty: '所選時間內沒有已結束的商機',
    none: { owner: '未分配', source: '未知來源', campaign: '無推廣活動' },
  },
  fva: {
    title: '預測與實際（按月）',
    month: '月份',
    forecast: '加權預測',
    wonAmount: '贏單金額',
    orderRevenue: '訂單收入',
    pipelineAmount: '管道金額',
    empty: '還沒有可對比的資料',
    more: '銷售預測',
  },
}

const en: Tree = {
  title: 'Sales analytics',
  lastDays: 'Last {{n}} days',
  pipelineNote: 'Stage conversion and velocity are for the chosen pipeline',
  velocity: {
    title: 'Sales velocity',
    formula: 'open × win rate × average deal ÷ days to win',
    open: 'Open opportunities',
    winRate: 'Win rate',
    avgDeal: 'Average won deal',
    daysToWin: 'Days to win',
    velocity: 'Velocity (per day)',
    closed: 'Won / lost',
    avgDays: '{{d}} days on average',
  },
  abc: {
    title: 'ABC analysis (customer revenue)',
    revenue: 'Revenue',
    cumulative: 'Cumulative share',
    class: 'Class {{c}}',
    customers: 'customers',
    empty: 'No order revenue in this range',
    rule: '{{n}} customers with revenue, {{total}} in all. A makes the first 80% of revenue, B the next 15%, C the last 5%.',
  },
  conversion: {
    title: 'Stage conversion',
    empty: 'No new opportunities in this range',
    summary:
      '{{total}} opportunities created: {{won}} won, {{lost}} lost. After the arrow: the rate to the next stage.',
  },
  winRate: {
    title: 'Win rate',
    by: { owner: 'By person', source: 'By source', campaign: 'By campaign' },
    rate: 'Win rate',
    won: 'Won',
    lost: 'Lost',
    empty: 'No opportunities closed in this range',
    none: { owner: 'Unassigned', source: 'Unknown source', campaign: 'No campaign' },
  },
  fva: {
    title: 'Forecast vs actual (by month)',
    month: 'Month',
    forecast: 'Weighted forecast',
    wonAmount: 'Won',
    orderRevenue: 'Order revenue',
    pipelineAmount: 'Pipeline',
    empty: 'Nothing to compare yet',
    more: 'Forecast',
  },
}

for (const [lng, tree] of [
  ['zh-CN', zhCN],
  ['zh-TW', zhTW],
  ['en', en],
] as [string, Tree][])
  i18n.addResourceBundle(lng, 'translation', { salesAnalytics: tree }, true, true)
