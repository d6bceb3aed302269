import { sql } from 'drizzle-orm'

export { sqlArray } from '../../quality/bulk.js'

/**
 * A UUIDv7 made in SQL from PostgreSQL 15 functions (48-bit millisecond time over a random v4
 * UUID, version bits set to 7): ids of rows written by INSERT … SELECT (tag history), whose count
 * is not known before. The same expression as the lead reclaim's.
 */
export const uuidV7 = sql.raw(`encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) placing
  substring(int8send(floor(extract(epoch from clock_timestamp()) * 1000)::bigint) from 3) from 1 for 6),
  52, 1), 53, 1), 'hex')::uuid`)

/** Ant Design's preset tag colours: a tag's colour is one of these or #rrggbb. */
export const PRESET_COLORS = [
  'magenta',
  'red',
  'volcano',
  'orange',
  'gold',
  'yellow',
  'lime',
  'green',
  'cyan',
  'blue',
  'geekblue',
  'purple',
  'pink',
] as const
const PRESETS = new Set<string>(PRESET_COLORS)

/** A colour as stored (trimmed, hex lower-case), null when none; undefined when not valid. */
export function normaliseColor(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined) return null
  const v = value.trim()
  if (v === '') return null
  if (/^#[0-9a-fA-F]{6}$/.test(v)) return v.toLowerCase()
  if (PRESETS.has(v.toLowerCase())) return v.toLowerCase()
  return undefined
}
