import { registerMessages } from '../../platform/i18n/messages.js'

/** Pools, the public pool (公海) and the lead lifecycle. */
registerMessages({
  claim_daily_limit: {
    'zh-CN': '今日领取已达上限（每天 {limit} 条）',
    'zh-TW': '今日領取已達上限（每天 {limit} 條）',
    en: 'Daily claim limit reached ({limit} per day)',
  },
  claim_holding_cap: {
    'zh-CN': '持有线索已达上限（每人最多 {limit} 条未结束线索）',
    'zh-TW': '持有線索已達上限（每人最多 {limit} 條未結束線索）',
    en: 'Holding cap reached (at most {limit} open leads per person)',
  },
  claim_unit_cap: {
    'zh-CN': '部门持有线索已达上限（每个部门最多 {limit} 条未结束线索）',
    'zh-TW': '部門持有線索已達上限（每個部門最多 {limit} 條未結束線索）',
    en: 'Department holding cap reached (at most {limit} open leads per department)',
  },
  claim_locked: {
    'zh-CN': '该线索由您释放或被收回，{until} 前不能再次领取',
    'zh-TW': '該線索由您釋放或被收回，{until} 前不能再次領取',
    en: 'You released or lost this lead; you may claim it again after {until}',
  },
  claim_protected: {
    'zh-CN': '新进入公海的线索处于保护期，{until} 后可领取',
    'zh-TW': '新進入公海的線索處於保護期，{until} 後可領取',
    en: 'The lead is protected after entering the public pool; claimable from {until}',
  },
  already_claimed: {
    'zh-CN': '该线索已被领取',
    'zh-TW': '該線索已被領取',
    en: 'Someone has already claimed this lead',
  },
  no_public_pool: {
    'zh-CN': '没有可用的公海，请先创建公海',
    'zh-TW': '沒有可用的公海，請先建立公海',
    en: 'There is no public pool to release to; create one first',
  },
  invalid_pool: {
    'zh-CN': '线索池不存在或无权使用',
    'zh-TW': '線索池不存在或無權使用',
    en: 'Unknown pool, or not one you may use',
  },
  not_public_pool: {
    'zh-CN': '必须是公海',
    'zh-TW': '必須是公海',
    en: 'Must be a public pool',
  },
  pool_cycle: {
    'zh-CN': '上级线索池不能是自身或其下级',
    'zh-TW': '上級線索池不能是自身或其下級',
    en: 'A pool cannot be nested under itself or one of its sub-pools',
  },
  master_pool_fixed: {
    'zh-CN': '总线索池不能删除，也不能改变类型或上级',
    'zh-TW': '總線索池不能刪除，也不能改變類型或上級',
    en: 'The master pool cannot be deleted, re-typed or nested',
  },
  pool_in_use: {
    'zh-CN': '线索池中还有线索、下级线索池或被其他设置引用，不能删除',
    'zh-TW': '線索池中還有線索、下級線索池或被其他設定引用，不能刪除',
    en: 'The pool still holds leads or sub-pools, or other settings refer to it',
  },
  cross_org_move: {
    'zh-CN': '不能把线索移到其他组织的线索池，请使用线索分发',
    'zh-TW': '不能把線索移到其他組織的線索池，請使用線索分發',
    en: 'Leads cannot move to another organisation’s pool this way; distribute them instead',
  },
  status_needs_owner: {
    'zh-CN': '该状态需要线索有负责人',
    'zh-TW': '該狀態需要線索有負責人',
    en: 'This status needs the lead to have an owner',
  },
  invalid_hidden_field: {
    'zh-CN': '不能隐藏的字段：{value}',
    'zh-TW': '不能隱藏的欄位：{value}',
    en: 'Not a field that can be hidden: {value}',
  },
  duplicate_key: {
    'zh-CN': '编码重复：{value}',
    'zh-TW': '編碼重複：{value}',
    en: 'Duplicate key: {value}',
  },
})
