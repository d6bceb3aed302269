import { registerMessages } from '../../platform/i18n/messages.js'

registerMessages({
  // Data the server writes in the workspace's language (not errors).
  lead_source_import: { 'zh-CN': '导入', 'zh-TW': '匯入', en: 'Import' },
  channel_key_name: { 'zh-CN': '渠道 · {name}', 'zh-TW': '渠道 · {name}', en: 'Channel · {name}' },
  duplicate_lead: {
    'zh-CN': '该线索已存在（由其他人负责或不在你的可见范围内）',
    'zh-TW': '該線索已存在（由其他人負責或不在你的可見範圍內）',
    en: 'This lead exists already (owned by someone else or outside what you can see)',
  },
  channel_key_required: {
    'zh-CN': '请使用渠道的 API 密钥调用此接口',
    'zh-TW': '請使用渠道的 API 金鑰呼叫此介面',
    en: 'Call this endpoint with a channel API key',
  },
  channel_disabled: {
    'zh-CN': '渠道不存在或已停用',
    'zh-TW': '渠道不存在或已停用',
    en: 'The channel does not exist or is disabled',
  },
  disposable_email: {
    'zh-CN': '请使用常用邮箱（不接受一次性邮箱）',
    'zh-TW': '請使用常用電子郵件（不接受一次性信箱）',
    en: 'Use a permanent email address (disposable ones are not accepted)',
  },
  form_not_found: {
    'zh-CN': '表单不存在或已停用',
    'zh-TW': '表單不存在或已停用',
    en: 'This form does not exist or is disabled',
  },
  import_no_file: {
    'zh-CN': '请选择要导入的文件',
    'zh-TW': '請選擇要匯入的檔案',
    en: 'Choose a file to import',
  },
  import_file_too_large: {
    'zh-CN': '文件超过大小上限（{maxMb} MB）',
    'zh-TW': '檔案超過大小上限（{maxMb} MB）',
    en: 'The file is larger than the limit ({maxMb} MB)',
  },
  import_unknown_encoding: {
    'zh-CN': '无法识别文件编码，请另存为 UTF-8 或 GBK 的 CSV',
    'zh-TW': '無法識別檔案編碼，請另存為 UTF-8 或 GBK 的 CSV',
    en: 'Unknown file encoding: save it as CSV in UTF-8 or GBK',
  },
  import_malformed_csv: {
    'zh-CN': 'CSV 格式错误（第 {row} 行附近，可能是引号未闭合）',
    'zh-TW': 'CSV 格式錯誤（第 {row} 行附近，可能是引號未閉合）',
    en: 'Malformed CSV near row {row} (an unclosed quote?)',
  },
  import_not_xlsx: {
    'zh-CN': '文件不是有效的 XLSX 或 CSV（旧版 .xls 请另存为 .xlsx）',
    'zh-TW': '檔案不是有效的 XLSX 或 CSV（舊版 .xls 請另存為 .xlsx）',
    en: 'Not a valid XLSX or CSV file (save old .xls files as .xlsx)',
  },
  import_empty_file: {
    'zh-CN': '文件是空的',
    'zh-TW': '檔案是空的',
    en: 'The file is empty',
  },
  import_no_header: {
    'zh-CN': '第一行应为表头',
    'zh-TW': '第一行應為表頭',
    en: 'The first row must be the header',
  },
  import_sheet_not_found: {
    'zh-CN': '找不到工作表 {sheet}；现有：{sheets}',
    'zh-TW': '找不到工作表 {sheet}；現有：{sheets}',
    en: 'Sheet {sheet} not found; the file has: {sheets}',
  },
  import_merged_header: {
    'zh-CN': '表头含合并单元格（{range}），请取消合并',
    'zh-TW': '表頭含合併儲存格（{range}），請取消合併',
    en: 'The header has merged cells ({range}); unmerge them',
  },
  import_duplicate_header: {
    'zh-CN': '表头重复：{header}（第 {column} 列）',
    'zh-TW': '表頭重複：{header}（第 {column} 欄）',
    en: 'Duplicate header {header} (column {column})',
  },
  import_empty_header: {
    'zh-CN': '第 {column} 列没有表头',
    'zh-TW': '第 {column} 欄沒有表頭',
    en: 'Column {column} has no header',
  },
  // Reasons in an import's error file and preview (import_<code>), and the label of a row-wide reason.
  import_whole_row: { 'zh-CN': '整行', 'zh-TW': '整列', en: 'Row' },
  import_ragged_row: {
    'zh-CN': '列数与表头不一致',
    'zh-TW': '欄數與表頭不一致',
    en: 'The row has more or fewer cells than the header',
  },
  import_formula_error: {
    'zh-CN': '公式计算出错（{value}）',
    'zh-TW': '公式計算出錯（{value}）',
    en: 'The formula gives an error ({value})',
  },
  import_formula_no_result: {
    'zh-CN': '公式没有计算结果（或结果为错误），请在 Excel 中重新计算并保存',
    'zh-TW': '公式沒有計算結果（或結果為錯誤），請在 Excel 中重新計算並儲存',
    en: 'The formula has no calculated result (or an error); recalculate and save it in Excel',
  },
  import_merged_cell: {
    'zh-CN': '单元格属于跨列合并区域 {range}，请取消合并',
    'zh-TW': '儲存格屬於跨欄合併範圍 {range}，請取消合併',
    en: 'The cell is part of the merged range {range} across columns; unmerge it',
  },
  import_totals_row: {
    'zh-CN': '合计行，不导入',
    'zh-TW': '合計列，不匯入',
    en: 'A totals row: not imported',
  },
  import_already_started: {
    'zh-CN': '导入已开始（状态：{status}）',
    'zh-TW': '匯入已開始（狀態：{status}）',
    en: 'The import has already started ({status})',
  },
  import_not_finished: {
    'zh-CN': '导入尚未结束，不能撤销（状态：{status}）',
    'zh-TW': '匯入尚未結束，不能撤銷（狀態：{status}）',
    en: 'The import has not finished and cannot be undone ({status})',
  },
})
