import { COMMON_COLUMNS as c, type ListExportDefinition } from '../../../platform/http/list-export.js'

/** The customer list's export (GET /api/v1/customers/export): its columns in the three languages. */
export const CUSTOMER_EXPORT: ListExportDefinition = {
  object: 'customer',
  title: { 'zh-CN': '客户', 'zh-TW': '客戶', en: 'Customers' },
  columns: [
    { key: 'name', header: { 'zh-CN': '客户名称', 'zh-TW': '客戶名稱', en: 'Customer name' } },
    {
      key: 'kind',
      header: { 'zh-CN': '客户类型', 'zh-TW': '客戶類型', en: 'Type' },
      labels: {
        organisation: { 'zh-CN': '企业', 'zh-TW': '企業', en: 'Organisation' },
        individual: { 'zh-CN': '个人', 'zh-TW': '個人', en: 'Individual' },
      },
    },
    { key: 'customerGroup', header: { 'zh-CN': '客户分组', 'zh-TW': '客戶分組', en: 'Group' } },
    { key: 'industry', header: { 'zh-CN': '行业', 'zh-TW': '產業', en: 'Industry' } },
    { key: 'size', header: { 'zh-CN': '规模', 'zh-TW': '規模', en: 'Size' } },
    {
      key: 'level',
      header: { 'zh-CN': '客户级别', 'zh-TW': '客戶級別', en: 'Level' },
      labels: {
        strategic: { 'zh-CN': '战略客户', 'zh-TW': '策略客戶', en: 'Strategic' },
        key: { 'zh-CN': '重点客户', 'zh-TW': '重點客戶', en: 'Key account' },
        normal: { 'zh-CN': '普通客户', 'zh-TW': '一般客戶', en: 'Normal' },
        small: { 'zh-CN': '小客户', 'zh-TW': '小客戶', en: 'Small' },
      },
    },
    c.regionCode,
    { key: 'address', header: { 'zh-CN': '地址', 'zh-TW': '地址', en: 'Address' } },
    {
      key: 'creditCode',
      header: { 'zh-CN': '统一社会信用代码', 'zh-TW': '統一社會信用代碼', en: 'Unified social credit code' },
    },
    { key: 'phone', kind: 'phone', header: { 'zh-CN': '电话', 'zh-TW': '電話', en: 'Phone' } },
    c.email,
    { key: 'website', header: { 'zh-CN': '网站', 'zh-TW': '網站', en: 'Website' } },
    c.source,
    {
      key: 'status',
      header: { 'zh-CN': '状态', 'zh-TW': '狀態', en: 'Status' },
      labels: {
        active: { 'zh-CN': '正常', 'zh-TW': '正常', en: 'Active' },
        inactive: { 'zh-CN': '停用', 'zh-TW': '停用', en: 'Inactive' },
      },
    },
    { key: 'orderCount', kind: 'number', header: { 'zh-CN': '订单数', 'zh-TW': '訂單數', en: 'Orders' } },
    {
      key: 'orderTotal',
      kind: 'money',
      header: { 'zh-CN': '订单总额', 'zh-TW': '訂單總額', en: 'Order total' },
    },
    {
      key: 'lastOrderAt',
      kind: 'datetime',
      header: { 'zh-CN': '最近下单', 'zh-TW': '最近下單', en: 'Last order' },
    },
    c.ownerId,
    c.unitId,
    c.lastFollowUpAt,
    c.nextFollowUpAt,
    c.createdAt,
    c.updatedAt,
  ],
}
