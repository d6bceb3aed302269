import { registerMessages } from '../../../platform/i18n/messages.js'

/** Quotes (报价): approval, revisions, and the catalogue references quotes and orders share. */
registerMessages({
  quote_locked: {
    'zh-CN': '报价单状态为「{status}」，只有草稿或已驳回的报价单可以修改',
    'zh-TW': '報價單狀態為「{status}」，只有草稿或已駁回的報價單可以修改',
    en: 'The quote is {status}; only draft or rejected quotes can be changed',
  },
  quote_transition: {
    'zh-CN': '报价单不能从「{from}」变为「{to}」',
    'zh-TW': '報價單不能從「{from}」變為「{to}」',
    en: 'A quote cannot go from {from} to {to}',
  },
  quote_self_approval: {
    'zh-CN': '不能审批自己提交的报价单，请由其他审批人处理',
    'zh-TW': '不能審批自己提交的報價單，請由其他審批人處理',
    en: 'You submitted this quote, so someone else has to approve or reject it',
  },
  quote_empty: {
    'zh-CN': '报价单至少需要一行明细',
    'zh-TW': '報價單至少需要一行明細',
    en: 'A quote needs at least one line',
  },
  quote_expired: {
    'zh-CN': '报价单已于 {validUntil} 过期，请修订后再发送',
    'zh-TW': '報價單已於 {validUntil} 過期，請修訂後再發送',
    en: 'The quote expired on {validUntil}; revise it before sending',
  },
  invalid_contact: {
    'zh-CN': '联系人不存在或不属于该客户',
    'zh-TW': '聯絡人不存在或不屬於該客戶',
    en: 'Unknown contact, or not a contact of this customer',
  },
  invalid_product: { 'zh-CN': '产品不存在', 'zh-TW': '產品不存在', en: 'Unknown product' },
  invalid_price_book: { 'zh-CN': '价格表不存在', 'zh-TW': '價格表不存在', en: 'Unknown price book' },
  notify_quote_approval_title: {
    'zh-CN': '报价单待审批：{number} {title}',
    'zh-TW': '報價單待審批：{number} {title}',
    en: 'Quote to approve: {number} {title}',
  },
  notify_quote_approval_body: {
    'zh-CN': '{submitter} 提交的报价单折扣 {discount}% 超过审批阈值 {threshold}%，合计 ¥{total}',
    'zh-TW': '{submitter} 提交的報價單折扣 {discount}% 超過審批門檻 {threshold}%，合計 ¥{total}',
    en: '{submitter} submitted a quote with a {discount}% discount (threshold {threshold}%), total ¥{total}',
  },
  notify_quote_approved_title: {
    'zh-CN': '报价单已通过审批：{number}',
    'zh-TW': '報價單已通過審批：{number}',
    en: 'Quote approved: {number}',
  },
  notify_quote_rejected_title: {
    'zh-CN': '报价单被驳回：{number}',
    'zh-TW': '報價單被駁回：{number}',
    en: 'Quote rejected: {number}',
  },
})
