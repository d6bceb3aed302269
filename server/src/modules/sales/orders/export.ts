import { COMMON_COLUMNS as c, type ListExportDefinition } from '../../../platform/http/list-export.js'
import { type Order, withListNames } from './service.js'

const money = (key: string, zhCN: string, zhTW: string, en: string) =>
  ({ key, kind: 'money', header: { 'zh-CN': zhCN, 'zh-TW': zhTW, en } }) as const

/** The order list's export (GET /api/v1/orders/export): its columns in the three languages. */
export const ORDER_EXPORT: ListExportDefinition = {
  object: 'order',
  title: { 'zh-CN': '订单', 'zh-TW': '訂單', en: 'Orders' },
  columns: [
    { key: 'number', header: { 'zh-CN': '订单号', 'zh-TW': '訂單號', en: 'Order no.' } },
    { key: 'customerName', header: { 'zh-CN': '客户', 'zh-TW': '客戶', en: 'Customer' } },
    {
      key: 'status',
      header: { 'zh-CN': '订单状态', 'zh-TW': '訂單狀態', en: 'Status' },
      labels: {
        draft: { 'zh-CN': '草稿', 'zh-TW': '草稿', en: 'Draft' },
        confirmed: { 'zh-CN': '已确认', 'zh-TW': '已確認', en: 'Confirmed' },
        shipped: { 'zh-CN': '已发货', 'zh-TW': '已出貨', en: 'Shipped' },
        completed: { 'zh-CN': '已完成', 'zh-TW': '已完成', en: 'Completed' },
        refunded: { 'zh-CN': '已退款', 'zh-TW': '已退款', en: 'Refunded' },
        cancelled: { 'zh-CN': '已取消', 'zh-TW': '已取消', en: 'Cancelled' },
      },
    },
    {
      ...c.source,
      labels: {
        opportunity: { 'zh-CN': '商机', 'zh-TW': '商機', en: 'Opportunity' },
        direct: { 'zh-CN': '直接录入', 'zh-TW': '直接輸入', en: 'Entered' },
        import: { 'zh-CN': '导入', 'zh-TW': '匯入', en: 'Import' },
        ecommerce: { 'zh-CN': '电商', 'zh-TW': '電商', en: 'E-commerce' },
      },
    },
    { key: 'externalId', header: { 'zh-CN': '外部订单号', 'zh-TW': '外部訂單號', en: 'External order no.' } },
    {
      key: 'orderedAt',
      kind: 'datetime',
      header: { 'zh-CN': '下单时间', 'zh-TW': '下單時間', en: 'Ordered' },
    },
    c.currency,
    money('subtotal', '小计', '小計', 'Subtotal'),
    money('discountTotal', '优惠合计', '優惠合計', 'Discounts'),
    money('shippingFee', '运费', '運費', 'Shipping'),
    money('total', '订单金额', '訂單金額', 'Total'),
    money('paidTotal', '已收', '已收', 'Paid'),
    money('refundedTotal', '已退', '已退', 'Refunded'),
    {
      key: 'paymentDueDate',
      kind: 'date',
      header: { 'zh-CN': '应付款日期', 'zh-TW': '應付款日期', en: 'Payment due' },
    },
    { key: 'shippingAddress', header: { 'zh-CN': '收货地址', 'zh-TW': '收貨地址', en: 'Shipping address' } },
    c.regionCode,
    c.notes,
    c.ownerId,
    c.unitId,
    c.createdAt,
    c.updatedAt,
  ],
  // The customer names the list shows beside the ids.
  present: (ctx, rows) => withListNames(ctx, rows as unknown as Order[]),
}
