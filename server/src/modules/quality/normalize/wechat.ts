/**
 * WeChat ids as the platform issues them: an openid (per official account / mini program) and a
 * unionid (per open-platform account) are 28 characters of base64url starting with "o"
 * (e.g. oUpF8uMuAJO_M2pxb1Q9zNjWeS6o). Anything else is a typo or a different id.
 */
const WECHAT_ID = /^o[A-Za-z0-9_-]{27}$/

export const isOpenid = (v: string) => WECHAT_ID.test(v)
export const isUnionid = (v: string) => WECHAT_ID.test(v)
