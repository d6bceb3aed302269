/**
 * The identity column(s) of an uploaded table and the persons its cells name — shared by the
 * imports that find persons in a file (tag import, static segment members import): which headers
 * name a person id, lead id, customer id, mobile/phone, email or an external customer number
 * (simplified, traditional, English), how a cell becomes an exact identity key, and how a batch of
 * keys becomes the persons the caller may see.
 */
import { sql } from 'drizzle-orm'
import type { Ctx } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { DEFAULT_PHONE_REGION } from '../../../platform/tenancy/phone-region.js'
import { sqlArray } from '../../quality/bulk.js'
import { checkEmail, normalizeEmail, normalizePhone } from '../../quality/normalize/index.js'
import { resolveSubjects, survivors } from '../tags/subjects.js'
import { personScope } from './scope.js'

export type IdentityColumnKind = 'personId' | 'leadId' | 'customerId' | 'mobile' | 'email' | 'external'

/**
 * Header words per identity column, compared as `headerKey` makes them, in the order a row's
 * columns are tried (the first non-empty one names the row's person).
 */
export const IDENTITY_HEADERS: readonly (readonly [IdentityColumnKind, readonly string[]])[] = [
  ['personId', ['人员id', '人員id', '人id', '画像id', '客户身份id', 'personid', 'person', 'id']],
  ['leadId', ['线索id', '線索id', 'leadid']],
  ['customerId', ['客户id', '客戶id', 'customerid']],
  [
    'mobile',
    [
      '手机',
      '手机号',
      '手机号码',
      '电话',
      '电话号码',
      '联系电话',
      '手機',
      '手機號',
      '手機號碼',
      '電話',
      '電話號碼',
      '聯絡電話',
      'mobile',
      'phone',
      'mobilephone',
      'phonenumber',
      'tel',
      'telephone',
      'cellphone',
    ],
  ],
  [
    'email',
    ['邮箱', '电子邮箱', '邮件', '郵箱', '電子郵件', '電郵', '信箱', 'email', 'mail', 'emailaddress'],
  ],
  [
    'external',
    ['客户编号', '外部编号', '会员号', '客戶編號', '外部編號', '會員號', 'externalid', 'memberid'],
  ],
]

/** A header as compared: NFKC, lower case, without spaces, punctuation and symbols ("E-mail" → email). */
export const headerKey = (header: string) =>
  header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '')

/** A cell as read: NFKC (full-width digits and letters folded) and trimmed. */
export const cellValue = (cell: string | null | undefined) => (cell ?? '').normalize('NFKC').trim()

export interface IdentityColumn {
  /** 'any': the lone column of a table whose header names nothing (each cell read by what it is). */
  kind: IdentityColumnKind | 'any'
  index: number
  header: string
}

/**
 * The identity columns of a table, in IDENTITY_HEADERS order (one per kind: the first column named
 * so). `kinds` limits the kinds looked for; `lone` takes the only column of a one-column table
 * whatever its header. Empty when there is none: the caller answers its own 400.
 */
export function identityColumns(
  headers: string[],
  opts: { kinds?: readonly IdentityColumnKind[]; lone?: boolean } = {},
): IdentityColumn[] {
  const keys = headers.map(headerKey)
  const found = IDENTITY_HEADERS.flatMap(([kind, words]): IdentityColumn[] => {
    if (opts.kinds && !opts.kinds.includes(kind)) return []
    const index = keys.findIndex((k) => words.includes(k))
    return index >= 0 ? [{ kind, index, header: headers[index]! }] : []
  })
  if (!found.length && opts.lone && headers.length === 1)
    return [{ kind: 'any', index: 0, header: headers[0]! }]
  return found
}

/** An exact identity: ids lower-case, mobile/phone in E.164 (kind as the data factory stores it), email normalised. */
export interface IdentityKey {
  kind: 'person' | 'lead' | 'customer' | 'mobile' | 'phone' | 'email' | 'external'
  value: string
}

export const identityKeyString = (k: IdentityKey) => `${k.kind}|${k.value}`

const phoneKey = (raw: string, phoneRegion: string): IdentityKey | null => {
  const p = normalizePhone(raw, phoneRegion)
  return p.ok ? { kind: p.kind === 'mobile' ? 'mobile' : 'phone', value: p.e164 } : null
}
const emailKey = (raw: string): IdentityKey | null => {
  const e = normalizeEmail(raw)
  return checkEmail(e) === 'invalid_email' ? null : { kind: 'email', value: e }
}
const idKey = (kind: 'person' | 'lead' | 'customer', raw: string): IdentityKey | null =>
  isUuid(raw) ? { kind, value: raw.toLowerCase() } : null

/**
 * The identity a cell of a column of `kind` names, null when it is not one (not a uuid, not a
 * phone number, not a valid email). 'any' reads the cell by what it is: a uuid is a person id, a
 * value with @ an email, anything else a phone number. A phone number without a country code is
 * read in `phoneRegion` (the workspace's).
 */
export function identityKey(
  kind: IdentityColumnKind | 'any',
  raw: string,
  phoneRegion = DEFAULT_PHONE_REGION,
): IdentityKey | null {
  const v = cellValue(raw)
  if (!v) return null
  switch (kind) {
    case 'personId':
      return idKey('person', v)
    case 'leadId':
      return idKey('lead', v)
    case 'customerId':
      return idKey('customer', v)
    case 'mobile':
      return phoneKey(v, phoneRegion)
    case 'email':
      return emailKey(v)
    case 'external':
      return { kind: 'external', value: v }
    case 'any':
      return isUuid(v) ? idKey('person', v) : v.includes('@') ? emailKey(v) : phoneKey(v, phoneRegion)
  }
}

export interface RowIdentity {
  column: IdentityColumn
  /** The cell as read (NFKC, trimmed). */
  value: string
  /** Null when the cell is not an identity of its column's kind. */
  key: IdentityKey | null
}

/**
 * A row's identity: its first non-empty identity column (in `columns` order), read as that column's
 * kind — or, with `sniff`, by what the cell is (see identityKey 'any'). Null when all are empty.
 * `phoneRegion`: the workspace's (mainland China by default), read once by the caller for the file.
 */
export function rowIdentity(
  columns: IdentityColumn[],
  cells: (string | null | undefined)[],
  opts: { sniff?: boolean; phoneRegion?: string } = {},
): RowIdentity | null {
  for (const column of columns) {
    const value = cellValue(cells[column.index])
    if (!value) continue
    return { column, value, key: identityKey(opts.sniff ? 'any' : column.kind, value, opts.phoneRegion) }
  }
  return null
}

const CHUNK = 5000

/**
 * The person each key names, among the persons the caller sees (personScope) and not merged away:
 * identityKeyString → person id. Person ids as they are (a merged-away one names no one); lead and
 * customer ids through their records in the caller's data scope — a person is MADE for a lead or
 * customer without one (so call this in the transaction that uses the answer); mobile/phone/email
 * through person_identities (exact kind and value), followed to the survivor of a merge; external
 * numbers (any namespace) only when exactly one person has it.
 */
export async function resolveIdentities(ctx: Ctx, keys: IdentityKey[]): Promise<Map<string, string>> {
  const t = ctx.actor.tenantId
  const out = new Map<string, string>()
  const unique = [...new Map(keys.map((k) => [identityKeyString(k), k])).values()]
  const of = (kind: IdentityKey['kind']) => unique.filter((k) => k.kind === kind).map((k) => k.value)

  for (const type of ['person', 'lead', 'customer'] as const) {
    const ids = of(type)
    for (let i = 0; i < ids.length; i += CHUNK) {
      const r = await resolveSubjects(ctx, type, ids.slice(i, i + CHUNK))
      for (const [id, personId] of r.persons) out.set(`${type}|${id}`, personId)
    }
  }

  const found: { key: string; personId: string }[] = []
  const contact = unique.filter((k) => k.kind === 'mobile' || k.kind === 'phone' || k.kind === 'email')
  for (let i = 0; i < contact.length; i += CHUNK) {
    const part = contact.slice(i, i + CHUNK)
    const res = await ctx.db.execute<{ kind: string; value: string; person_id: string }>(sql`
      select pi.kind, pi.value, pi.person_id from person_identities pi
      join unnest(${sqlArray(
        part.map((k) => k.kind),
        'text',
      )}, ${sqlArray(
        part.map((k) => k.value),
        'text',
      )}) as u(kind, value) on pi.kind = u.kind and pi.value = u.value
      where pi.tenant_id = ${t} and pi.namespace = ''`)
    for (const r of res.rows) found.push({ key: `${r.kind}|${r.value}`, personId: String(r.person_id) })
  }
  const external = of('external')
  for (let i = 0; i < external.length; i += CHUNK) {
    const res = await ctx.db.execute<{ value: string; person_id: string }>(sql`
      select value, min(person_id::text) as person_id from person_identities
      where tenant_id = ${t} and kind = 'external'
        and value = any(${sqlArray(external.slice(i, i + CHUNK), 'text')})
      group by value having count(distinct person_id) = 1`)
    for (const r of res.rows) found.push({ key: `external|${r.value}`, personId: String(r.person_id) })
  }
  if (!found.length) return out

  const alive = await survivors(
    ctx,
    found.map((f) => f.personId),
  )
  const ids = [...new Set(alive.values())]
  const scope = personScope(ctx, sql`persons.id`)
  const visible = new Set<string>()
  for (let i = 0; i < ids.length; i += CHUNK) {
    const res = await ctx.db.execute<{ id: string }>(sql`
      select id from persons where tenant_id = ${t}
        and id = any(${sqlArray(ids.slice(i, i + CHUNK), 'uuid')}) and merged_into_id is null
        and ${scope ?? sql`true`}`)
    for (const r of res.rows) visible.add(String(r.id))
  }
  for (const f of found) {
    const personId = alive.get(f.personId)!
    if (visible.has(personId)) out.set(f.key, personId)
  }
  return out
}
