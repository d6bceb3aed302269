import ExcelJS from 'exceljs'
import type { FieldDefinition } from '../../../../platform/custom-fields/definitions.service.js'
import { writeCsv } from './safe-export.js'

type Locale = 'zh-CN' | 'zh-TW' | 'en'

const STANDARD: {
  key: string
  label: Record<Locale, string>
  example: string
  note: Record<Locale, string>
}[] = [
  {
    key: 'name',
    label: { 'zh-CN': '姓名', 'zh-TW': '姓名', en: 'Name' },
    example: '张伟',
    note: {
      'zh-CN': '姓名或任一联系方式至少填一项',
      'zh-TW': '姓名或任一聯絡方式至少填一項',
      en: 'A name or any contact is required',
    },
  },
  {
    key: 'mobile',
    label: { 'zh-CN': '手机号', 'zh-TW': '手機號', en: 'Mobile' },
    example: '13800138000',
    note: {
      'zh-CN': '11 位手机号，可带 +86',
      'zh-TW': '11 位手機號，可帶 +86',
      en: '11-digit mobile, +86 optional',
    },
  },
  {
    key: 'phone',
    label: { 'zh-CN': '座机', 'zh-TW': '座機', en: 'Landline' },
    example: '010-12345678',
    note: { 'zh-CN': '带区号', 'zh-TW': '帶區號', en: 'With area code' },
  },
  {
    key: 'email',
    label: { 'zh-CN': '邮箱', 'zh-TW': '郵箱', en: 'Email' },
    example: 'zhangwei@example.com',
    note: { 'zh-CN': '', 'zh-TW': '', en: '' },
  },
  {
    key: 'company',
    label: { 'zh-CN': '公司', 'zh-TW': '公司', en: 'Company' },
    example: '上海海纳科技有限公司',
    note: { 'zh-CN': '', 'zh-TW': '', en: '' },
  },
  {
    key: 'title',
    label: { 'zh-CN': '职务', 'zh-TW': '職務', en: 'Title' },
    example: '采购经理',
    note: { 'zh-CN': '', 'zh-TW': '', en: '' },
  },
  {
    key: 'creditCode',
    label: { 'zh-CN': '统一社会信用代码', 'zh-TW': '統一社會信用代碼', en: 'Credit code' },
    example: '91350100M000100Y43',
    note: { 'zh-CN': '18 位，含校验位', 'zh-TW': '18 位，含校驗位', en: '18 characters with check digit' },
  },
  {
    key: 'address',
    label: { 'zh-CN': '地址', 'zh-TW': '地址', en: 'Address' },
    example: '上海市浦东新区世纪大道 100 号',
    note: { 'zh-CN': '用于识别地区', 'zh-TW': '用於識別地區', en: 'Used to find the region' },
  },
  {
    key: 'externalId',
    label: { 'zh-CN': '外部编号', 'zh-TW': '外部編號', en: 'External id' },
    example: 'CRM-0001',
    note: { 'zh-CN': '原系统中的编号', 'zh-TW': '原系統中的編號', en: 'Id in the source system' },
  },
  {
    key: 'campaignCode',
    label: { 'zh-CN': '活动编码', 'zh-TW': '活動編碼', en: 'Campaign code' },
    example: 'double11',
    note: { 'zh-CN': '推广活动的编码', 'zh-TW': '推廣活動的編碼', en: 'Code of a campaign' },
  },
  {
    key: 'notes',
    label: { 'zh-CN': '备注', 'zh-TW': '備註', en: 'Notes' },
    example: '官网咨询',
    note: { 'zh-CN': '', 'zh-TW': '', en: '' },
  },
]

function customNote(d: FieldDefinition, locale: Locale): string {
  const options = (d.options as { value: string; label?: string }[] | null) ?? []
  const list = options.map((o) => o.label ?? o.value).join(' / ')
  const required = d.required ? (locale === 'en' ? 'required' : '必填') : ''
  return [d.type, required, list].filter(Boolean).join('; ')
}

/** A column of an import template: its header, example values (one per example row) and format note. */
export interface TemplateColumn {
  label: string
  examples: string[]
  note: string
}

/** An import template: header and example rows, plus (XLSX) a sheet of format notes. Cells are text. */
export async function buildTableTemplate(
  format: 'csv' | 'xlsx',
  locale: Locale,
  columns: TemplateColumn[],
  sheetName: string,
): Promise<Buffer> {
  const header = columns.map((c) => c.label)
  const rows = Math.max(1, ...columns.map((c) => c.examples.length))
  const examples = Array.from({ length: rows }, (_, i) => columns.map((c) => c.examples[i] ?? ''))
  if (format === 'csv') return Buffer.from(writeCsv([header, ...examples]))
  const wb = new ExcelJS.Workbook()
  const sheet = wb.addWorksheet(sheetName)
  sheet.addRow(header).font = { bold: true }
  for (const e of examples) sheet.addRow(e)
  sheet.columns.forEach((c) => {
    c.width = 18
    c.numFmt = '@' // text: phone numbers keep their digits
  })
  const notes = wb.addWorksheet(locale === 'en' ? 'Notes' : '说明')
  notes.addRow(locale === 'en' ? ['Column', 'Format'] : ['列', '格式说明']).font = { bold: true }
  for (const c of columns) notes.addRow([c.label, c.note])
  notes.getColumn(1).width = 20
  notes.getColumn(2).width = 60
  return Buffer.from(await wb.xlsx.writeBuffer())
}

/** A template with the standard columns and the workspace's custom fields, in the user's language. */
export async function buildTemplate(
  format: 'csv' | 'xlsx',
  locale: Locale,
  defs: FieldDefinition[],
): Promise<Buffer> {
  return buildTableTemplate(
    format,
    locale,
    [
      ...STANDARD.map((s) => ({ label: s.label[locale], examples: [s.example], note: s.note[locale] })),
      ...defs.map((d) => ({ label: d.label, examples: [''], note: customNote(d, locale) })),
    ],
    locale === 'en' ? 'Leads' : '线索',
  )
}
