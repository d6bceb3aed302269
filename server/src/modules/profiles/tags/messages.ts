import { registerMessages } from '../../../platform/i18n/messages.js'
// The tag import answers file problems with the lead import's codes (import_file_too_large…).
import '../../intake/messages.js'

/** Tag groups, tags, tagging, tag rules and the tag import (issue #6). */
registerMessages({
  tag_group_name_taken: {
    'zh-CN': '已有名为「{name}」的标签组',
    'zh-TW': '已有名為「{name}」的標籤組',
    en: 'A tag group named “{name}” already exists',
  },
  tag_name_taken: {
    'zh-CN': '该标签组下已有名为「{name}」的标签',
    'zh-TW': '該標籤組下已有名為「{name}」的標籤',
    en: 'The group already has a tag named “{name}”',
  },
  rule_self_reference: {
    'zh-CN': '规则不能以它自己的标签为条件',
    'zh-TW': '規則不能以它自己的標籤為條件',
    en: 'A rule cannot test its own tag',
  },
  tag_invalid_color: {
    'zh-CN': '颜色应为 #rrggbb 或预设颜色名（如 blue、gold）',
    'zh-TW': '顏色應為 #rrggbb 或預設顏色名（如 blue、gold）',
    en: 'A colour is #rrggbb or a preset name (blue, gold…)',
  },
  unknown_tag_group: {
    'zh-CN': '标签组不存在',
    'zh-TW': '標籤組不存在',
    en: 'Unknown tag group',
  },
  // The same words as the person directory's filter error (one catalogue for the app).
  unknown_tag: {
    'zh-CN': '标签不存在',
    'zh-TW': '標籤不存在',
    en: 'Unknown tag',
  },
  tag_import_unknown_tag: {
    'zh-CN': '标签不存在：{name}',
    'zh-TW': '標籤不存在：{name}',
    en: 'Unknown tag: {name}',
  },
  tag_import_unknown_group: {
    'zh-CN': '标签组不存在：{name}',
    'zh-TW': '標籤組不存在：{name}',
    en: 'Unknown tag group: {name}',
  },
  tag_import_invalid_value: {
    'zh-CN': '「{value}」不是有效的{column}',
    'zh-TW': '「{value}」不是有效的{column}',
    en: '“{value}” is not a valid {column}',
  },
  tag_import_ambiguous_tag: {
    'zh-CN': '多个标签组都有标签「{name}」，请写成「组名:标签名」',
    'zh-TW': '多個標籤組都有標籤「{name}」，請寫成「組名:標籤名」',
    en: 'Several groups have a tag “{name}”: write it as “group:tag”',
  },
  tag_in_add_and_remove: {
    'zh-CN': '同一个标签不能同时添加和移除',
    'zh-TW': '同一個標籤不能同時新增和移除',
    en: 'A tag cannot be both added and removed',
  },
  tag_exclusive_conflict: {
    'zh-CN': '「{group}」是互斥标签组，只能选其中一个标签',
    'zh-TW': '「{group}」是互斥標籤組，只能選其中一個標籤',
    en: '“{group}” is an exclusive group: choose one of its tags',
  },
  tag_group_in_use: {
    'zh-CN':
      '标签组有 {tags} 个标签，{persons} 人带有这些标签，{segments} 个人群和 {rules} 条规则引用它们；确认后删除并移除这些标签',
    'zh-TW':
      '標籤組有 {tags} 個標籤，{persons} 人帶有這些標籤，{segments} 個人群和 {rules} 條規則引用它們；確認後刪除並移除這些標籤',
    en: 'The group has {tags} tags carried by {persons} people and used by {segments} segments and {rules} rules; confirm to delete it and remove them',
  },
  tag_in_use: {
    'zh-CN': '{persons} 人带有该标签，{segments} 个人群和 {rules} 条规则引用它；确认后删除并移除该标签',
    'zh-TW': '{persons} 人帶有該標籤，{segments} 個人群和 {rules} 條規則引用它；確認後刪除並移除該標籤',
    en: '{persons} people carry the tag and {segments} segments and {rules} rules use it; confirm to delete it and remove it from them',
  },
  tag_group_not_exclusive: {
    'zh-CN': '{persons} 人同时带有该组的多个标签，不能改为互斥组',
    'zh-TW': '{persons} 人同時帶有該組的多個標籤，不能改為互斥組',
    en: '{persons} people carry several tags of this group: it cannot become exclusive',
  },
  rule_warning: {
    'zh-CN': '该规则匹配 {matches} / {total} 人，会给所有人打上或谁都打不上；确认后再保存',
    'zh-TW': '該規則匹配 {matches} / {total} 人，會給所有人打上或誰都打不上；確認後再儲存',
    en: 'The rule matches {matches} of {total} people: it tags everyone or no one; confirm to save it',
  },
  tag_rule_required: {
    'zh-CN': '启用自动打标需要先设置规则',
    'zh-TW': '啟用自動打標需要先設定規則',
    en: 'Set a rule before enabling automatic tagging',
  },
  tag_no_rule: {
    'zh-CN': '该标签没有规则',
    'zh-TW': '該標籤沒有規則',
    en: 'The tag has no rule',
  },
  tag_import_too_many_rows: {
    'zh-CN': '文件超过 {max} 行，请拆分后导入',
    'zh-TW': '檔案超過 {max} 列，請拆分後匯入',
    en: 'The file has more than {max} rows: split it',
  },
  tag_import_no_identity_column: {
    'zh-CN': '找不到识别列（手机号、邮箱、人员ID、线索ID 或 客户ID）',
    'zh-TW': '找不到識別欄（手機號、郵箱、人員ID、線索ID 或 客戶ID）',
    en: 'No identity column (mobile, email, person id, lead id or customer id)',
  },
  tag_import_no_tags_column: {
    'zh-CN': '找不到「标签」列',
    'zh-TW': '找不到「標籤」欄',
    en: 'No “Tags” column',
  },
  tag_import_missing_identity: {
    'zh-CN': '缺少识别信息（手机号、邮箱或 ID）',
    'zh-TW': '缺少識別資訊（手機號、郵箱或 ID）',
    en: 'No mobile, email or id to find the person',
  },
  tag_import_person_not_found: {
    'zh-CN': '找不到「{value}」对应的人（或无权访问）',
    'zh-TW': '找不到「{value}」對應的人（或無權存取）',
    en: 'No person found for “{value}” (or not one you may see)',
  },
  tag_import_missing_tags: {
    'zh-CN': '没有填写标签',
    'zh-TW': '沒有填寫標籤',
    en: 'No tags given',
  },
  tag_exclusive_row_conflict: {
    'zh-CN': '同一人在前面的行已打上互斥组「{group}」的另一个标签',
    'zh-TW': '同一人在前面的列已打上互斥組「{group}」的另一個標籤',
    en: 'An earlier row gives this person another tag of the exclusive group “{group}”',
  },
})
