// The data factory's pure normalisation and validation: no database, safe anywhere.

export { normalizePhone, type PhoneResult } from '../../../platform/phone/normalize.js'
export { creditCodeCheckChar, isCreditCode, normalizeCreditCode } from './credit-code.js'
export { checkEmail, normalizeEmail } from './email.js'
export {
  type FieldIssue,
  type IssueCode,
  type LeadInput,
  type NormalizedIdentity,
  type NormalizedLead,
  normalizeIdentity,
  normalizeLead,
} from './lead.js'
export { isRegionCode, regionFromAddress, regionFromAreaCode } from './region.js'
export { nameSimilarity, trigramSimilarity } from './similarity.js'
export { cleanText, companyKey, nameKey, pinyinKeys, toSimplified } from './text.js'
export { isOpenid, isUnionid } from './wechat.js'
