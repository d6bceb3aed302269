/** Server-side messages for error codes, in the three supported locales. */
export const LOCALES = ['zh-CN', 'zh-TW', 'en'] as const
export type Locale = (typeof LOCALES)[number]

export type Catalog = Record<string, Record<Locale, string>>

const messages: Catalog = {
  bad_request: { 'zh-CN': '请求无效', 'zh-TW': '請求無效', en: 'Bad request' },
  malformed_json: {
    'zh-CN': '请求体不是有效的 JSON',
    'zh-TW': '請求內容不是有效的 JSON',
    en: 'The request body is not valid JSON',
  },
  validation_failed: {
    'zh-CN': '输入有误，请检查标出的字段',
    'zh-TW': '輸入有誤，請檢查標示的欄位',
    en: 'Some fields are invalid',
  },
  unauthenticated: { 'zh-CN': '请先登录', 'zh-TW': '請先登入', en: 'Please sign in' },
  forbidden: {
    'zh-CN': '没有权限：{permission}',
    'zh-TW': '沒有權限：{permission}',
    en: 'Missing permission: {permission}',
  },
  not_found: { 'zh-CN': '记录不存在或无权访问', 'zh-TW': '記錄不存在或無權存取', en: 'Not found' },
  conflict: {
    'zh-CN': '记录已被他人修改，请刷新后重试',
    'zh-TW': '記錄已被他人修改，請重新整理後再試',
    en: 'The record was changed by someone else; reload and try again',
  },
  duplicate: { 'zh-CN': '{field} 已存在', 'zh-TW': '{field} 已存在', en: '{field} already exists' },
  payload_too_large: {
    'zh-CN': '请求体过大（上限 {limit}）',
    'zh-TW': '請求內容過大（上限 {limit}）',
    en: 'Request body too large (limit {limit})',
  },
  rate_limited: {
    'zh-CN': '请求过于频繁，请稍后再试',
    'zh-TW': '請求過於頻繁，請稍後再試',
    en: 'Too many requests; try again later',
  },
  csrf_failed: {
    'zh-CN': '安全校验失败，请刷新页面',
    'zh-TW': '安全驗證失敗，請重新整理頁面',
    en: 'Security check failed; reload the page',
  },
  invalid_credentials: {
    'zh-CN': '账号或密码错误',
    'zh-TW': '帳號或密碼錯誤',
    en: 'Wrong email or password',
  },
  account_locked: {
    'zh-CN': '登录失败次数过多，账号已临时锁定，请稍后再试',
    'zh-TW': '登入失敗次數過多，帳號已暫時鎖定，請稍後再試',
    en: 'Too many failed sign-ins; the account is locked for a while',
  },
  weak_password: {
    'zh-CN': '密码至少 {min} 位，且需同时包含字母和数字',
    'zh-TW': '密碼至少 {min} 位，且需同時包含字母和數字',
    en: 'The password needs at least {min} characters with letters and digits',
  },
  setup_done: { 'zh-CN': '系统已初始化', 'zh-TW': '系統已初始化', en: 'Setup has already been completed' },
  idempotency_mismatch: {
    'zh-CN': '幂等键已用于不同的请求',
    'zh-TW': '冪等鍵已用於不同的請求',
    en: 'The Idempotency-Key was used for a different request',
  },
  idempotency_in_progress: {
    'zh-CN': '相同幂等键的请求正在处理',
    'zh-TW': '相同冪等鍵的請求正在處理',
    en: 'A request with this Idempotency-Key is still in progress',
  },
  internal: { 'zh-CN': '服务器内部错误', 'zh-TW': '伺服器內部錯誤', en: 'Internal server error' },
  unavailable: { 'zh-CN': '服务暂不可用', 'zh-TW': '服務暫不可用', en: 'Service unavailable' },
  // field-level
  required: { 'zh-CN': '必填', 'zh-TW': '必填', en: 'Required' },
  invalid_type: { 'zh-CN': '类型不正确', 'zh-TW': '類型不正確', en: 'Wrong type' },
  invalid_value: { 'zh-CN': '取值无效', 'zh-TW': '取值無效', en: 'Invalid value' },
  too_small: { 'zh-CN': '不能小于 {min}', 'zh-TW': '不能小於 {min}', en: 'Must be at least {min}' },
  too_big: { 'zh-CN': '不能大于 {max}', 'zh-TW': '不能大於 {max}', en: 'Must be at most {max}' },
  too_long: { 'zh-CN': '长度不能超过 {max}', 'zh-TW': '長度不能超過 {max}', en: 'At most {max} characters' },
  invalid_phone: {
    'zh-CN': '手机号或电话号码格式不正确',
    'zh-TW': '手機或電話號碼格式不正確',
    en: 'Not a valid phone number',
  },
  invalid_email: {
    'zh-CN': '邮箱格式不正确',
    'zh-TW': '電子郵件格式不正確',
    en: 'Not a valid email address',
  },
  invalid_url: { 'zh-CN': '网址格式不正确', 'zh-TW': '網址格式不正確', en: 'Not a valid URL' },
  invalid_date: { 'zh-CN': '日期格式不正确', 'zh-TW': '日期格式不正確', en: 'Not a valid date' },
  invalid_option: { 'zh-CN': '不在可选项中', 'zh-TW': '不在可選項中', en: 'Not one of the options' },
  invalid_region: { 'zh-CN': '省市区不存在', 'zh-TW': '省市區不存在', en: 'Unknown region' },
  invalid_user: { 'zh-CN': '用户不存在', 'zh-TW': '使用者不存在', en: 'Unknown user' },
  pattern_mismatch: {
    'zh-CN': '格式不符合要求',
    'zh-TW': '格式不符合要求',
    en: 'Does not match the required format',
  },
  not_unique: {
    'zh-CN': '该值已被其他记录使用',
    'zh-TW': '該值已被其他記錄使用',
    en: 'Already used by another record',
  },
  unknown_field: { 'zh-CN': '未知字段', 'zh-TW': '未知欄位', en: 'Unknown field' },
  malformed_multipart: {
    'zh-CN': '上传内容不完整或格式错误，请重新上传',
    'zh-TW': '上傳內容不完整或格式錯誤，請重新上傳',
    en: 'The upload is incomplete or malformed: please upload again',
  },
  invalid_cursor: {
    'zh-CN': '分页游标无效，请从第一页重新加载',
    'zh-TW': '分頁游標無效，請從第一頁重新載入',
    en: 'Not a valid page cursor: load again from the first page',
  },
}

/** Modules add their own error and field codes (each in its own messages file). */
export function registerMessages(catalog: Catalog): void {
  Object.assign(messages, catalog)
}

export function pickLocale(acceptLanguage: string | undefined, fallback: Locale = 'zh-CN'): Locale {
  if (!acceptLanguage) return fallback
  for (const part of acceptLanguage.split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase()
    if (tag.startsWith('zh-tw') || tag.startsWith('zh-hk') || tag.startsWith('zh-hant')) return 'zh-TW'
    if (tag.startsWith('zh')) return 'zh-CN'
    if (tag.startsWith('en')) return 'en'
  }
  return fallback
}

export function translate(code: string, locale: Locale, params: Record<string, unknown> = {}): string {
  const entry = messages[code]
  const text = entry ? entry[locale] : code
  return text.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? `{${k}}`))
}

export function hasMessage(code: string): boolean {
  return code in messages
}
