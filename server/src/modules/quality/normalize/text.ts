import * as OpenCC from 'opencc-js'
import { pinyin } from 'pinyin-pro'
import { cleanText, memo } from '../../../platform/text.js'

// The data factory's text helpers build on the platform's (phones are normalised there too).
export { cleanText, memo }

// Built once: opencc's dictionaries are large. 'hk' covers Hong Kong and Taiwan variants of traditional text.
const toCn = OpenCC.Converter({ from: 'hk', to: 'cn' })
const toCnTw = OpenCC.Converter({ from: 'tw', to: 'cn' })

/** Traditional (Taiwan, Hong Kong) → simplified, for matching keys only: stored values keep what was typed. */
export const toSimplified = memo((value: string): string =>
  /[^\p{ASCII}]/u.test(value) ? toCnTw(toCn(value)) : value,
)

const PUNCTUATION = /[\s\p{P}\p{S}]/gu

/** A person's matching key: cleaned, simplified, lower case, no spaces or punctuation. */
export function nameKey(name: string): string {
  return toSimplified(cleanText(name)).toLowerCase().replace(PUNCTUATION, '')
}

const LEGAL_FORMS = [
  '股份有限公司',
  '有限责任公司',
  '集团有限公司',
  '集团股份有限公司',
  '有限公司',
  '集团公司',
  '集团',
  '公司',
  'coltd',
  'companylimited',
  'limited',
  'ltd',
  'inc',
  'corporation',
  'corp',
  'co',
]
const BRACKETED = /[(（[【][^)）\]】]{1,12}[)）\]】]/g
// Province and large-city prefixes: 上海海纳科技 and 海纳科技（上海） are the same company.
const PLACE_PREFIXES = [
  '北京',
  '天津',
  '上海',
  '重庆',
  '河北',
  '山西',
  '辽宁',
  '吉林',
  '黑龙江',
  '江苏',
  '浙江',
  '安徽',
  '福建',
  '江西',
  '山东',
  '河南',
  '湖北',
  '湖南',
  '广东',
  '海南',
  '四川',
  '贵州',
  '云南',
  '陕西',
  '甘肃',
  '青海',
  '台湾',
  '内蒙古',
  '广西',
  '西藏',
  '宁夏',
  '新疆',
  '香港',
  '澳门',
  '深圳',
  '广州',
  '杭州',
  '南京',
  '苏州',
  '武汉',
  '成都',
  '西安',
  '青岛',
  '厦门',
  '宁波',
  '无锡',
  '长沙',
  '郑州',
  '济南',
  '沈阳',
  '大连',
  '合肥',
  '福州',
  '昆明',
  '东莞',
  '佛山',
].sort((a, b) => b.length - a.length)

/**
 * A company's matching key: the name without legal form (有限公司, 股份有限公司, 集团, Co., Ltd.…), without
 * bracketed places, and without a leading province/city when at least two characters remain — so
 * 上海海纳科技有限公司, 海纳科技（上海）有限公司 and 海納科技股份有限公司 all give 海纳科技.
 */
export function companyKey(company: string): string {
  let key = toSimplified(cleanText(company)).toLowerCase().replace(BRACKETED, '')
  key = key.replace(PUNCTUATION, '')
  for (let changed = true; changed; ) {
    changed = false
    for (const form of LEGAL_FORMS)
      if (key.endsWith(form) && key.length - form.length >= 2) {
        key = key.slice(0, -form.length)
        changed = true
      }
  }
  for (const place of PLACE_PREFIXES)
    if (key.startsWith(place) && key.length - place.length >= 2) {
      key = key.slice(place.length).replace(/^[省市]/, '')
      break
    }
  return key
}

/** Pinyin keys: `zhangwei` and `zw` both find 张伟; latin names stay as lower-case letters. */
export const pinyinKeys = memo(pinyinKeysOf)

function pinyinKeysOf(name: string): { full: string; initials: string } {
  const clean = toSimplified(cleanText(name))
  if (!/[\u4e00-\u9fff]/.test(clean)) {
    const latin = clean.toLowerCase().replace(/[^a-z0-9 ]/g, '')
    return {
      full: latin.replace(/ /g, ''),
      initials: latin
        .split(' ')
        .filter(Boolean)
        .map((w) => w[0])
        .join(''),
    }
  }
  const syllables = pinyin(clean, { toneType: 'none', type: 'array', nonZh: 'removed', v: true })
  return {
    full: syllables.join('').toLowerCase(),
    initials: syllables
      .map((s) => s[0] ?? '')
      .join('')
      .toLowerCase(),
  }
}
