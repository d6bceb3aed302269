import { registerMessages } from '../../../platform/i18n/messages.js'

/** Pipelines, stage gates and opportunities (issue #5). */
registerMessages({
  stage_gate: {
    'zh-CN': '进入阶段「{stage}」前还有 {count} 项必填内容未填写',
    'zh-TW': '進入階段「{stage}」前還有 {count} 項必填內容未填寫',
    en: '{count} required field(s) are missing for the stage "{stage}"',
  },
  gate_field_missing: {
    'zh-CN': '阶段「{stage}」要求填写此项',
    'zh-TW': '階段「{stage}」要求填寫此項',
    en: 'Required by the stage "{stage}"',
  },
  unknown_gate_field: {
    'zh-CN': '阶段「{stage}」的必填字段 {field} 不存在',
    'zh-TW': '階段「{stage}」的必填欄位 {field} 不存在',
    en: 'The stage "{stage}" requires an unknown field {field}',
  },
  pipeline_stage_kinds: {
    'zh-CN': '销售流程需至少一个进行中阶段，且赢单、输单阶段各一个',
    'zh-TW': '銷售流程需至少一個進行中階段，且贏單、輸單階段各一個',
    en: 'A pipeline needs at least one open stage and exactly one won and one lost stage',
  },
  pipeline_in_use: {
    'zh-CN': '该销售流程下还有 {count} 个商机，不能删除',
    'zh-TW': '該銷售流程下還有 {count} 個商機，不能刪除',
    en: 'The pipeline still has {count} opportunities; it cannot be deleted',
  },
  pipeline_is_default: {
    'zh-CN': '默认销售流程不能删除，请先将其他流程设为默认',
    'zh-TW': '預設銷售流程不能刪除，請先將其他流程設為預設',
    en: 'The default pipeline cannot be deleted; make another one the default first',
  },
  stage_in_use: {
    'zh-CN': '阶段「{stage}」下还有 {count} 个商机，不能删除',
    'zh-TW': '階段「{stage}」下還有 {count} 個商機，不能刪除',
    en: 'The stage "{stage}" still has {count} opportunities; it cannot be deleted',
  },
  invalid_stage: {
    'zh-CN': '阶段不属于该销售流程或不是进行中阶段',
    'zh-TW': '階段不屬於該銷售流程或不是進行中階段',
    en: 'The stage does not belong to the pipeline or is not an open stage',
  },
  invalid_pipeline: {
    'zh-CN': '销售流程不存在或已停用',
    'zh-TW': '銷售流程不存在或已停用',
    en: 'Unknown or inactive pipeline',
  },
  invalid_customer: {
    'zh-CN': '客户不存在或无权访问',
    'zh-TW': '客戶不存在或無權存取',
    en: 'Unknown customer, or outside your data scope',
  },
  invalid_contact: {
    'zh-CN': '联系人不属于该客户',
    'zh-TW': '聯絡人不屬於該客戶',
    en: 'The contact does not belong to this customer',
  },
  invalid_price_book: {
    'zh-CN': '价格表不存在或已停用',
    'zh-TW': '價格表不存在或已停用',
    en: 'Unknown or inactive price book',
  },
  invalid_competitor: {
    'zh-CN': '竞争对手不存在',
    'zh-TW': '競爭對手不存在',
    en: 'Unknown competitor',
  },
  invalid_reason: {
    'zh-CN': '原因不在可选列表中（选择「其他」时请填写说明）',
    'zh-TW': '原因不在可選清單中（選擇「其他」時請填寫說明）',
    en: 'Not one of the configured reasons (choose "other" with a note)',
  },
  opportunity_not_open: {
    'zh-CN': '商机已结束（{status}），请先重新打开',
    'zh-TW': '商機已結束（{status}），請先重新開啟',
    en: 'The opportunity is closed ({status}); reopen it first',
  },
  opportunity_not_closed: {
    'zh-CN': '商机未结束，无需重新打开',
    'zh-TW': '商機未結束，無需重新開啟',
    en: 'The opportunity is still open',
  },
  amount_from_lines: {
    'zh-CN': '商机有产品明细时，金额由明细合计得出',
    'zh-TW': '商機有產品明細時，金額由明細合計得出',
    en: 'The amount is the sum of the product lines while the opportunity has lines',
  },
  notify_opportunities_assigned: {
    'zh-CN': '您有 {count} 个商机被分配给您',
    'zh-TW': '您有 {count} 個商機被分配給您',
    en: '{count} opportunities were assigned to you',
  },
  forecast_unassigned: {
    'zh-CN': '未分配',
    'zh-TW': '未分配',
    en: 'Unassigned',
  },
})
