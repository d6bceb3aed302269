import { registerMessages } from '../i18n/messages.js'

/** Codes of custom-field definitions, values and list filters (the shared ones live in i18n/messages.ts). */
registerMessages({
  // values
  invalid_number: { 'zh-CN': '请输入数字', 'zh-TW': '請輸入數字', en: 'Must be a number' },
  not_integer: {
    'zh-CN': '金额须为整数（以分为单位）',
    'zh-TW': '金額須為整數（以分為單位）',
    en: 'Must be a whole number of fen (minor units)',
  },
  invalid_datetime: {
    'zh-CN': '日期时间格式不正确（需含时区的 ISO 8601）',
    'zh-TW': '日期時間格式不正確（需含時區的 ISO 8601）',
    en: 'Not a valid ISO 8601 date-time with a time zone',
  },
  invalid_boolean: { 'zh-CN': '只能为是或否', 'zh-TW': '只能為是或否', en: 'Must be true or false' },
  // definitions
  unknown_object: {
    'zh-CN': '该对象不支持自定义字段：{object}',
    'zh-TW': '該物件不支援自訂欄位：{object}',
    en: 'This object has no custom fields: {object}',
  },
  invalid_field_key: {
    'zh-CN': '字段标识须以小写字母开头，只含小写字母、数字和下划线，最长 40 个字符',
    'zh-TW': '欄位識別須以小寫字母開頭，只含小寫字母、數字和底線，最長 40 個字元',
    en: 'Use a lowercase letter first, then lowercase letters, digits or underscores (at most 40)',
  },
  reserved_field_key: {
    'zh-CN': '“{key}”是系统字段，不能用作自定义字段标识',
    'zh-TW': '「{key}」是系統欄位，不能用作自訂欄位識別',
    en: '"{key}" is a built-in field and cannot be a custom field key',
  },
  field_key_taken: {
    'zh-CN': '该对象已有标识为“{key}”的字段',
    'zh-TW': '該物件已有識別為「{key}」的欄位',
    en: 'This object already has a field "{key}"',
  },
  immutable: { 'zh-CN': '创建后不能修改', 'zh-TW': '建立後不能修改', en: 'Cannot be changed after creation' },
  options_required: {
    'zh-CN': '请至少添加一个选项',
    'zh-TW': '請至少新增一個選項',
    en: 'Add at least one option',
  },
  duplicate_option: {
    'zh-CN': '选项值重复：{value}',
    'zh-TW': '選項值重複：{value}',
    en: 'Duplicate option value: {value}',
  },
  invalid_pattern: {
    'zh-CN': '正则表达式无效或可能导致性能问题',
    'zh-TW': '正規表示式無效或可能導致效能問題',
    en: 'Invalid or unsafe regular expression',
  },
  not_applicable: {
    'zh-CN': '该字段类型不支持此设置',
    'zh-TW': '該欄位類型不支援此設定',
    en: 'Not available for this field type',
  },
  min_gt_max: {
    'zh-CN': '最小值不能大于最大值',
    'zh-TW': '最小值不能大於最大值',
    en: 'Minimum is greater than maximum',
  },
  values_not_unique: {
    'zh-CN': '已有记录在该字段上取值重复，无法设为唯一',
    'zh-TW': '已有記錄在該欄位上取值重複，無法設為唯一',
    en: 'Existing records share values of this field; it cannot be made unique',
  },
  // list filters and sort
  invalid_filter_json: {
    'zh-CN': '筛选条件须为 JSON 对象',
    'zh-TW': '篩選條件須為 JSON 物件',
    en: 'The filter must be a JSON object',
  },
  unknown_filter_field: {
    'zh-CN': '不能按该字段筛选',
    'zh-TW': '不能依此欄位篩選',
    en: 'This field cannot be filtered on',
  },
  invalid_filter_op: {
    'zh-CN': '该字段不支持运算符 {op}',
    'zh-TW': '此欄位不支援運算子 {op}',
    en: 'Operator {op} is not available for this field',
  },
  invalid_filter_value: {
    'zh-CN': '运算符 {op} 的筛选值无效',
    'zh-TW': '運算子 {op} 的篩選值無效',
    en: 'Invalid value for operator {op}',
  },
  invalid_sort: {
    'zh-CN': '不能按 {field} 排序',
    'zh-TW': '不能依 {field} 排序',
    en: 'Cannot sort by {field}',
  },
})
