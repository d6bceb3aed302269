import { COMMON_COLUMNS as c, type ListExportDefinition } from '../../platform/http/list-export.js'
import { LEAD_STATUS_LABELS } from './status.labels.js'

/** The lead list's export (GET /api/v1/leads/export): its columns in the three languages. */
export const LEAD_EXPORT: ListExportDefinition = {
  object: 'lead',
  title: { 'zh-CN': '线索', 'zh-TW': '線索', en: 'Leads' },
  columns: [
    { key: 'name', header: { 'zh-CN': '姓名', 'zh-TW': '姓名', en: 'Name' } },
    { key: 'mobile', kind: 'phone', header: { 'zh-CN': '手机', 'zh-TW': '手機', en: 'Mobile' } },
    c.email,
    { key: 'company', header: { 'zh-CN': '公司', 'zh-TW': '公司', en: 'Company' } },
    { key: 'title', header: { 'zh-CN': '职位', 'zh-TW': '職位', en: 'Job title' } },
    c.source,
    {
      key: 'status',
      header: { 'zh-CN': '状态', 'zh-TW': '狀態', en: 'Status' },
      labels: LEAD_STATUS_LABELS,
    },
    { key: 'grade', header: { 'zh-CN': '等级', 'zh-TW': '等級', en: 'Grade' } },
    { key: 'score', kind: 'number', header: { 'zh-CN': '评分', 'zh-TW': '評分', en: 'Score' } },
    c.ownerId,
    c.unitId,
    c.lastFollowUpAt,
    c.nextFollowUpAt,
    c.notes,
    c.createdAt,
    c.updatedAt,
  ],
}
