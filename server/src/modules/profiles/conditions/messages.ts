import { registerMessages } from '../../../platform/i18n/messages.js'

/** Profile conditions (tag rules, segments): what is wrong with a condition, by path. */
registerMessages({
  invalid_condition: {
    'zh-CN': '条件格式不正确：应为条件组 {match, conditions} 或条件 {field, op, value}',
    'zh-TW': '條件格式不正確：應為條件組 {match, conditions} 或條件 {field, op, value}',
    en: 'Not a condition: expected a group {match, conditions} or a condition {field, op, value}',
  },
  invalid_condition_match: {
    'zh-CN': '条件组的匹配方式只能是“全部满足”(all) 或“任一满足”(any)',
    'zh-TW': '條件組的比對方式只能是「全部符合」(all) 或「任一符合」(any)',
    en: 'A group matches "all" or "any"',
  },
  unknown_condition_field: {
    'zh-CN': '未知的条件字段：{field}',
    'zh-TW': '未知的條件欄位：{field}',
    en: 'Unknown condition field: {field}',
  },
  invalid_condition_op: {
    'zh-CN': '字段 {field} 不支持运算符 {op}',
    'zh-TW': '欄位 {field} 不支援運算子 {op}',
    en: 'The field {field} does not take the operator {op}',
  },
  invalid_condition_value: {
    'zh-CN': '条件取值不正确（运算符 {op}）',
    'zh-TW': '條件取值不正確（運算子 {op}）',
    en: 'Wrong value for the operator {op}',
  },
  invalid_condition_param: {
    'zh-CN': '条件参数 {param} 不正确',
    'zh-TW': '條件參數 {param} 不正確',
    en: 'Wrong condition parameter {param}',
  },
  invalid_regex: {
    'zh-CN': '正则表达式无效：{error}',
    'zh-TW': '正規表示式無效：{error}',
    en: 'Invalid regular expression: {error}',
  },
  empty_condition_group: {
    'zh-CN': '条件组不能为空，请至少添加一个条件',
    'zh-TW': '條件組不能為空，請至少新增一個條件',
    en: 'A group needs at least one condition',
  },
  condition_days_range: {
    'zh-CN': '天数须为 1 到 3650 之间的整数',
    'zh-TW': '天數須為 1 到 3650 之間的整數',
    en: 'Days must be a whole number from 1 to 3650',
  },
  too_many_conditions: {
    'zh-CN': '条件过多：最多 {max} 个',
    'zh-TW': '條件過多：最多 {max} 個',
    en: 'Too many conditions: at most {max}',
  },
  condition_too_deep: {
    'zh-CN': '条件组嵌套过深：最多 {max} 层',
    'zh-TW': '條件組巢狀過深：最多 {max} 層',
    en: 'Groups nested too deep: at most {max} levels',
  },
  condition_unknown_tag: {
    'zh-CN': '标签不存在：{ids}',
    'zh-TW': '標籤不存在：{ids}',
    en: 'No such tag: {ids}',
  },
  condition_unknown_channel: {
    'zh-CN': '渠道不存在：{ids}',
    'zh-TW': '渠道不存在：{ids}',
    en: 'No such channel: {ids}',
  },
})
