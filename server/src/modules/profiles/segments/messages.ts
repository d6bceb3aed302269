import { type Locale, registerMessages } from '../../../platform/i18n/messages.js'

/** Segments (人群): their errors and the words of their exports and charts. */
registerMessages({
  segment_name_taken: {
    'zh-CN': '人群名称“{name}”已存在',
    'zh-TW': '人群名稱「{name}」已存在',
    en: 'A segment named “{name}” already exists',
  },
  static_segment_conditions: {
    'zh-CN': '静态人群没有筛选条件（成员来自名单或上传的文件）',
    'zh-TW': '靜態人群沒有篩選條件（成員來自名單或上傳的檔案）',
    en: 'A static segment has no conditions (its members come from a list or an uploaded file)',
  },
  segment_not_static: {
    'zh-CN': '只能手动增删静态人群的成员；动态人群的成员由条件计算',
    'zh-TW': '只能手動增刪靜態人群的成員；動態人群的成員由條件計算',
    en: 'Only a static segment’s members are added and removed by hand; a dynamic segment’s come from its conditions',
  },
  segment_import_no_column: {
    'zh-CN': '文件中没有手机号、邮箱或人员 ID 列（列名如：手机号、邮箱、人员ID）',
    'zh-TW': '檔案中沒有手機號、郵箱或人員 ID 欄（欄名如：手機號、郵箱、人員ID）',
    en: 'The file has no phone, email or person id column (headers such as Mobile, Email, Person ID)',
  },
  segment_subject_not_found: {
    'zh-CN': '记录不存在或无权访问',
    'zh-TW': '記錄不存在或無權存取',
    en: 'Not found, or not one you may see',
  },
  segment_subject_no_person: {
    'zh-CN': '该记录还没有关联的人员',
    'zh-TW': '該記錄還沒有關聯的人員',
    en: 'The record has no person yet',
  },
})

/** Column headers of a segment export, per language. */
export const EXPORT_HEADERS: Record<Locale, string[]> = {
  'zh-CN': ['姓名', '公司', '地区', '手机', '邮箱', '标签', '加入时间'],
  'zh-TW': ['姓名', '公司', '地區', '手機', '電子郵件', '標籤', '加入時間'],
  en: ['Name', 'Company', 'Region', 'Mobile', 'Email', 'Tags', 'Added at'],
}

/** How an export joins several tag names in one cell. */
export const TAG_SEPARATOR: Record<Locale, string> = { 'zh-CN': '、', 'zh-TW': '、', en: ', ' }

/** Labels of the distribution buckets without a value. */
export const UNKNOWN_LABEL: Record<'region' | 'channel', Record<Locale, string>> = {
  region: { 'zh-CN': '未知地区', 'zh-TW': '未知地區', en: 'Unknown region' },
  channel: { 'zh-CN': '无渠道', 'zh-TW': '無渠道', en: 'No channel' },
}
