import { registerMessages } from '../../../platform/i18n/messages.js'
// Claim refusals, no_public_pool, invalid_pool and not_public_pool are the public pool's own codes.
import '../../leads/pools.messages.js'

/** Customers, contacts and lead conversion. */
registerMessages({
  customer_duplicate: {
    'zh-CN': '可能与已有客户重复：{names}。确认不是同一客户后可继续创建',
    'zh-TW': '可能與既有客戶重複：{names}。確認不是同一客戶後可繼續建立',
    en: 'This may be a customer that already exists: {names}. Create it anyway only if it is not',
  },
  customer_in_use: {
    'zh-CN':
      '客户还有 {orders} 个订单、{opportunities} 个商机、{subsidiaries} 个下级客户或线索转化记录，不能删除',
    'zh-TW':
      '客戶還有 {orders} 筆訂單、{opportunities} 個商機、{subsidiaries} 個下級客戶或線索轉化記錄，不能刪除',
    en: 'The customer still has {orders} orders, {opportunities} opportunities, {subsidiaries} subsidiaries or a lead conversion; it cannot be deleted',
  },
  customer_cycle: {
    'zh-CN': '上级客户不能是自身或其下级客户',
    'zh-TW': '上級客戶不能是自身或其下級客戶',
    en: 'A customer cannot belong to itself or one of its subsidiaries',
  },
  unknown_customer: {
    'zh-CN': '客户不存在或无权访问',
    'zh-TW': '客戶不存在或無權存取',
    en: 'Unknown customer, or not one you may see',
  },
  invalid_credit_code: {
    'zh-CN': '统一社会信用代码无效（应为 18 位且校验位正确）',
    'zh-TW': '統一社會信用代碼無效（應為 18 位且校驗位正確）',
    en: 'Not a valid unified social credit code (18 characters with a matching check character)',
  },
  contact_cycle: {
    'zh-CN': '汇报对象不能是自身或其下属',
    'zh-TW': '匯報對象不能是自身或其下屬',
    en: 'A contact cannot report to itself or to someone who reports to it',
  },
  invalid_reports_to: {
    'zh-CN': '汇报对象必须是同一客户的联系人',
    'zh-TW': '匯報對象必須是同一客戶的聯絡人',
    en: 'The manager must be a contact of the same customer',
  },
  lead_already_converted: {
    'zh-CN': '该线索已于 {convertedAt} 转化，不能重复转化',
    'zh-TW': '該線索已於 {convertedAt} 轉化，不能重複轉化',
    en: 'This lead was already converted on {convertedAt}',
  },
})
