import { registerMessages } from '../../platform/i18n/messages.js'

registerMessages({
  exact_only: {
    'zh-CN': '编号类字段只能精确匹配',
    'zh-TW': '編號類欄位只能精確比對',
    en: 'Id fields match exactly only',
  },
  out_of_range: {
    'zh-CN': '超出范围（{min}–{max}）',
    'zh-TW': '超出範圍（{min}–{max}）',
    en: 'Out of range ({min}–{max})',
  },
  grades_order: {
    'zh-CN': '等级分数须满足 A > B > C ≥ 0',
    'zh-TW': '等級分數須滿足 A > B > C ≥ 0',
    en: 'Grade scores must satisfy A > B > C ≥ 0',
  },
  merge_already_undone: {
    'zh-CN': '该合并已撤销',
    'zh-TW': '該合併已撤銷',
    en: 'This merge was undone already',
  },
  merge_not_latest: {
    'zh-CN': '请先撤销之后的合并（{mergeId}）',
    'zh-TW': '請先撤銷之後的合併（{mergeId}）',
    en: 'Undo the later merge first ({mergeId})',
  },
  review_nothing_to_merge: {
    'zh-CN': '此项没有可合并的相似线索',
    'zh-TW': '此項沒有可合併的相似線索',
    en: 'This item has no look-alike to merge with',
  },
})
