import { COMMON_COLUMNS as c, type ListExportDefinition } from '../../../platform/http/list-export.js'

/**
 * The opportunity list's export (GET /api/v1/opportunities/export): its columns in the three
 * languages. The route adds the list's presenter (customer, contact, pipeline and stage names).
 */
export const OPPORTUNITY_EXPORT: ListExportDefinition = {
  object: 'opportunity',
  title: { 'zh-CN': '商机', 'zh-TW': '商機', en: 'Opportunities' },
  columns: [
    { key: 'name', header: { 'zh-CN': '商机名称', 'zh-TW': '商機名稱', en: 'Opportunity' } },
    { key: 'customerName', header: { 'zh-CN': '客户', 'zh-TW': '客戶', en: 'Customer' } },
    { key: 'contactName', header: { 'zh-CN': '主要联系人', 'zh-TW': '主要聯絡人', en: 'Main contact' } },
    { key: 'pipelineName', header: { 'zh-CN': '销售流程', 'zh-TW': '銷售流程', en: 'Pipeline' } },
    { key: 'stageName', header: { 'zh-CN': '阶段', 'zh-TW': '階段', en: 'Stage' } },
    {
      key: 'status',
      header: { 'zh-CN': '状态', 'zh-TW': '狀態', en: 'Status' },
      labels: {
        open: { 'zh-CN': '进行中', 'zh-TW': '進行中', en: 'Open' },
        won: { 'zh-CN': '赢单', 'zh-TW': '贏單', en: 'Won' },
        lost: { 'zh-CN': '输单', 'zh-TW': '輸單', en: 'Lost' },
      },
    },
    { key: 'amount', kind: 'money', header: { 'zh-CN': '金额', 'zh-TW': '金額', en: 'Amount' } },
    c.currency,
    {
      key: 'probability',
      kind: 'number',
      header: { 'zh-CN': '赢率（%）', 'zh-TW': '贏率（%）', en: 'Probability (%)' },
    },
    {
      key: 'expectedCloseDate',
      kind: 'date',
      header: { 'zh-CN': '预计成交日期', 'zh-TW': '預計成交日期', en: 'Expected close date' },
    },
    c.source,
    {
      key: 'meddicScore',
      kind: 'number',
      header: { 'zh-CN': 'MEDDIC 得分', 'zh-TW': 'MEDDIC 得分', en: 'MEDDIC score' },
    },
    {
      key: 'closedAt',
      kind: 'datetime',
      header: { 'zh-CN': '关闭时间', 'zh-TW': '關閉時間', en: 'Closed at' },
    },
    {
      key: 'closeReason',
      header: { 'zh-CN': '赢单/输单原因', 'zh-TW': '贏單/輸單原因', en: 'Close reason' },
    },
    c.ownerId,
    c.unitId,
    c.lastFollowUpAt,
    c.nextFollowUpAt,
    c.createdAt,
    c.updatedAt,
  ],
}
