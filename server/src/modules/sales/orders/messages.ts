import { registerMessages } from '../../../platform/i18n/messages.js'

/** Orders (订单库): totals, states, payments and refunds, receivables, the order import. */
registerMessages({
  // Data the server writes in the workspace's language (not an error).
  customer_source_order_import: { 'zh-CN': '订单导入', 'zh-TW': '訂單匯入', en: 'Order import' },
  order_totals: {
    'zh-CN': '订单金额与明细不符，请检查标出的金额',
    'zh-TW': '訂單金額與明細不符，請檢查標示的金額',
    en: 'The order’s amounts do not add up to its lines; check the fields named',
  },
  total_mismatch: {
    'zh-CN': '应为 {expectedText}',
    'zh-TW': '應為 {expectedText}',
    en: 'Should be {expectedText}',
  },
  amount_mismatch: {
    'zh-CN': '金额应为 数量 × 单价 − 优惠 = {expectedText}',
    'zh-TW': '金額應為 數量 × 單價 − 優惠 = {expectedText}',
    en: 'The amount should be quantity × unit price − discount = {expectedText}',
  },
  order_transition: {
    'zh-CN': '订单不能从「{from}」变为「{to}」',
    'zh-TW': '訂單不能從「{from}」變為「{to}」',
    en: 'An order cannot go from {from} to {to}',
  },
  order_locked: {
    'zh-CN': '订单状态为「{status}」，不能再修改明细和金额',
    'zh-TW': '訂單狀態為「{status}」，不能再修改明細和金額',
    en: 'The order is {status}; its lines and amounts can no longer change',
  },
  order_closed: {
    'zh-CN': '订单已{status}，不能再登记回款',
    'zh-TW': '訂單已{status}，不能再登記回款',
    en: 'The order is {status}; no more payments can be recorded',
  },
  order_not_deletable: {
    'zh-CN': '只能删除没有回款的草稿或已取消订单',
    'zh-TW': '只能刪除沒有回款的草稿或已取消訂單',
    en: 'Only draft or cancelled orders without payments can be deleted',
  },
  exceeds_balance: {
    'zh-CN': '回款不能超过未收金额 {maxText}',
    'zh-TW': '回款不能超過未收金額 {maxText}',
    en: 'A payment cannot exceed the open balance of {maxText}',
  },
  exceeds_refundable: {
    'zh-CN': '退款不能超过已收未退金额 {maxText}',
    'zh-TW': '退款不能超過已收未退金額 {maxText}',
    en: 'A refund cannot exceed what was paid and not yet refunded: {maxText}',
  },
  below_paid: {
    'zh-CN': '订单金额不能低于已收净额 {minText}',
    'zh-TW': '訂單金額不能低於已收淨額 {minText}',
    en: 'The total cannot be below the net amount paid, {minText}',
  },
  invalid_customer: {
    'zh-CN': '客户不存在或无权访问',
    'zh-TW': '客戶不存在或無權存取',
    en: 'Unknown customer, or not one you may see',
  },
  invalid_opportunity: {
    'zh-CN': '商机不存在或不属于该客户',
    'zh-TW': '商機不存在或不屬於該客戶',
    en: 'Unknown opportunity, or not one of this customer',
  },
  invalid_quote: {
    'zh-CN': '报价单不存在或不属于该客户',
    'zh-TW': '報價單不存在或不屬於該客戶',
    en: 'Unknown quote, or not one of this customer',
  },
  opportunity_not_won: {
    'zh-CN': '商机尚未赢单（当前：{status}），不能生成订单',
    'zh-TW': '商機尚未贏單（目前：{status}），不能產生訂單',
    en: 'The opportunity is {status}, not won: no order can be made from it',
  },
  opportunity_already_ordered: {
    'zh-CN': '该商机已生成订单 {number}',
    'zh-TW': '該商機已產生訂單 {number}',
    en: 'This opportunity already has order {number}',
  },
  // The order import: mapping problems and the reasons in the error file.
  missing_external_id: {
    'zh-CN': '缺少订单号',
    'zh-TW': '缺少訂單號',
    en: 'The order number is missing',
  },
  customer_not_found: {
    'zh-CN': '找不到客户（按客户名称、联系人手机或统一社会信用代码），且未允许自动创建',
    'zh-TW': '找不到客戶（按客戶名稱、聯絡人手機或統一社會信用代碼），且未允許自動建立',
    en: 'No customer found by name, contact mobile or credit code, and creating customers is off',
  },
  invalid_status: {
    'zh-CN': '无法识别的订单状态',
    'zh-TW': '無法識別的訂單狀態',
    en: 'Unknown order status',
  },
  order_has_invalid_rows: {
    'zh-CN': '同一订单的其他行有错误，整单未导入',
    'zh-TW': '同一訂單的其他行有錯誤，整單未匯入',
    en: 'Another row of the same order is invalid, so the order was not imported',
  },
  duplicate_order: {
    'zh-CN': '该订单已导入过（订单号重复）',
    'zh-TW': '該訂單已匯入過（訂單號重複）',
    en: 'This order was imported before (same order number)',
  },
  duplicate_row: {
    'zh-CN': '与同一订单的另一行完全相同',
    'zh-TW': '與同一訂單的另一行完全相同',
    en: 'Identical to another row of the same order',
  },
  ragged_row: {
    'zh-CN': '列数与表头不一致',
    'zh-TW': '欄數與表頭不一致',
    en: 'The row has more or fewer cells than the header',
  },
})
