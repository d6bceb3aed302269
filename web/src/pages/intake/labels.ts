/** Channel kinds and lead-standard fields, as the server defines them (labels in i18n.ts). */
export const CHANNEL_KINDS = [
  'official_account',
  'mini_program',
  'app',
  'web_form',
  'ecommerce',
  'third_party',
  'offline_event',
  'import',
  'manual',
] as const

export const MAPPING_TARGETS = [
  'name',
  'mobile',
  'phone',
  'email',
  'company',
  'title',
  'creditCode',
  'openid',
  'unionid',
  'wechatAppId',
  'deviceId',
  'externalId',
  'address',
  'regionCode',
  'notes',
  'campaignCode',
] as const

export const OUTCOME_COLORS: Record<string, string> = {
  created: 'green',
  merged: 'blue',
  overwritten: 'purple',
  duplicate: 'default',
  review: 'orange',
  invalid: 'red',
}
