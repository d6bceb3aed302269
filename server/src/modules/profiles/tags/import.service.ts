import { sql } from 'drizzle-orm'
import { type Ctx, can } from '../../../platform/access/actor.js'
import { isUuid } from '../../../platform/access/data-access.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { AppError, forbidden, validationFailed } from '../../../platform/http/errors.js'
import { translate } from '../../../platform/i18n/messages.js'
import { workspacePhoneRegion } from '../../../platform/tenancy/phone-region.js'
import { buildTableTemplate, FileError, openTable } from '../../intake/import/file/index.js'
import {
  cellValue,
  headerKey,
  type IdentityKey,
  identityColumns,
  identityKeyString,
  resolveIdentities,
  rowIdentity,
} from '../persons/identity-column.js'
import { tagGroups, tags } from '../schema.js'
import './messages.js'
import { tagPersons } from './tagging.service.js'
import { tagsRepo } from './taxonomy.service.js'

/** Rows one tag import takes at most (it runs in the request). */
export const MAX_TAG_IMPORT_ROWS = 100_000
/** Largest tag import file: 100,000 rows of an identity and a few tag names fit many times over. */
export const MAX_TAG_IMPORT_BYTES = 20 * 1024 * 1024
/** Errors listed in the answer at most (the count is complete). */
const MAX_LISTED_ERRORS = 1000

const TAG_HEADERS = ['标签', '标签名称', '标签名', '標籤', '標籤名稱', 'tags', 'tag', 'tagnames']
/** Separators between several tag names in one cell. */
const SEPARATORS = /[，,、;；|｜\n]+/
/** "组名:标签名" names the group too. */
const GROUP_SEPARATOR = /[:：]/

export interface TagImportError {
  row: number
  field: string | null
  code: string
  message: string
}

export interface TagImportResult {
  rows: number
  /** Rows whose tags were applied. */
  tagged: number
  /** Tags made for unknown names (createMissing). */
  created: number
  errors: TagImportError[]
  /** All errors (the list stops at 1,000). */
  errorCount: number
}

export interface TagImportOptions {
  fileName: string
  maxBytes: number
  createMissing?: boolean
  groupId?: string
}

/** A file problem as the lead import answers it: 413 when too large, 400 naming the problem otherwise. */
function fileProblem(err: unknown): never {
  if (err instanceof FileError)
    throw new AppError(err.code === 'file_too_large' ? 413 : 400, `import_${err.code}`, err.params ?? {})
  throw err
}

interface ParsedRow {
  row: number
  identity?: { header: string; value: string; key: IdentityKey }
  names: { group: string | null; name: string }[]
}

/**
 * Tags the persons a file names (POST /tag-imports): one identity column (person id, lead id,
 * customer id, mobile/phone, email, external customer number) and a tags column (several names split
 * by ，,、;| — "组名:标签名" names the group). Persons are those the caller sees. Unknown tags are
 * row errors, or with `createMissing` new tags of `groupId` (or of the named group). Rows with an
 * error are left out and listed; the rest is applied in one transaction (source import, the file
 * name in each history row), with one audit entry.
 */
export async function importTags(ctx: Ctx, path: string, opts: TagImportOptions): Promise<TagImportResult> {
  if (opts.createMissing && !can(ctx.actor, 'profiles.configure')) throw forbidden('profiles.configure')
  const t = ctx.actor.tenantId
  const groups = await ctx.db
    .select({ id: tagGroups.id, name: tagGroups.name, exclusive: tagGroups.exclusive })
    .from(tagGroups)
    .where(sql`${tagGroups.tenantId} = ${t}`)
  const groupById = new Map(groups.map((g) => [g.id, g]))
  const groupByName = new Map(groups.map((g) => [g.name, g]))
  if (opts.createMissing) {
    if (!opts.groupId) throw validationFailed([{ field: 'groupId', code: 'required' }])
    if (!isUuid(opts.groupId) || !groupById.has(opts.groupId))
      throw validationFailed([{ field: 'groupId', code: 'unknown_tag_group' }])
  }

  const table = await openTable(path, { fileName: opts.fileName, maxBytes: opts.maxBytes }).catch(fileProblem)
  const columns = identityColumns(table.headers)
  const tagIndex = table.headers.map(headerKey).findIndex((h) => TAG_HEADERS.includes(h))
  if (!columns.length) throw new AppError(400, 'tag_import_no_identity_column')
  if (tagIndex < 0) throw new AppError(400, 'tag_import_no_tags_column')
  const tagHeader = table.headers[tagIndex]!
  const phoneRegion = await workspacePhoneRegion(ctx.db, t)

  const errors: TagImportError[] = []
  let errorCount = 0
  const fail = (row: number, field: string | null, code: string, params: Record<string, unknown> = {}) => {
    errorCount++
    if (errors.length < MAX_LISTED_ERRORS)
      errors.push({ row, field, code, message: translate(code, ctx.locale, params) })
  }

  // 1. Read and parse every row (nothing is written before the whole file is known to fit).
  const parsed: ParsedRow[] = []
  let rows = 0
  try {
    for await (const r of table.rows()) {
      if (r.cells.every((c) => !c?.trim())) continue
      rows++
      if (rows > MAX_TAG_IMPORT_ROWS)
        throw new AppError(400, 'tag_import_too_many_rows', { max: MAX_TAG_IMPORT_ROWS })
      if (r.problem) {
        fail(r.rowNumber, null, 'ragged_row')
        continue
      }
      const p: ParsedRow = { row: r.rowNumber, names: [] }
      const id = rowIdentity(columns, r.cells, { phoneRegion })
      if (!id) {
        fail(r.rowNumber, columns[0]!.header, 'tag_import_missing_identity')
        continue
      }
      if (!id.key) {
        fail(r.rowNumber, id.column.header, 'tag_import_invalid_value', {
          value: id.value,
          column: id.column.header,
        })
        continue
      }
      p.identity = { header: id.column.header, value: id.value, key: id.key }
      for (const part of cellValue(r.cells[tagIndex]).split(SEPARATORS)) {
        const text = part.trim()
        if (!text) continue
        const m = GROUP_SEPARATOR.exec(text)
        p.names.push(
          m
            ? { group: text.slice(0, m.index).trim() || null, name: text.slice(m.index + 1).trim() }
            : { group: null, name: text },
        )
      }
      p.names = p.names.filter((n) => n.name)
      if (!p.names.length) {
        fail(r.rowNumber, tagHeader, 'tag_import_missing_tags')
        continue
      }
      parsed.push(p)
    }
  } catch (err) {
    fileProblem(err)
  }

  return inTransaction(ctx, async (tx) => {
    // 2. The persons the rows name, among those the caller sees.
    const personOf = await resolveIdentities(
      tx,
      parsed.map((p) => p.identity!.key),
    )

    // 3. The tags the rows name: known, or planned (createMissing), or a row error.
    const existing = await tx.db
      .select({ id: tags.id, name: tags.name, groupId: tags.groupId })
      .from(tags)
      .where(sql`${tags.tenantId} = ${t}`)
    const byGroupName = new Map(existing.map((x) => [`${x.groupId}|${x.name}`, x.id]))
    const byName = new Map<string, string[]>()
    for (const x of existing) byName.set(x.name, [...(byName.get(x.name) ?? []), x.id])
    const tagGroupOf = new Map(existing.map((x) => [x.id, x.groupId]))
    const planned = new Map<string, { groupId: string; name: string }>()
    const ready: { row: number; personId: string; tagKeys: string[] }[] = []
    for (const p of parsed) {
      const personId = personOf.get(identityKeyString(p.identity!.key))
      if (!personId) {
        fail(p.row, p.identity!.header, 'tag_import_person_not_found', { value: p.identity!.value })
        continue
      }
      const keys: string[] = []
      let bad = false
      for (const n of p.names) {
        let groupId: string | null = null
        if (n.group !== null) {
          const g = groupByName.get(n.group)
          if (!g) {
            fail(p.row, tagHeader, 'tag_import_unknown_group', { name: n.group })
            bad = true
            continue
          }
          groupId = g.id
        }
        const found = groupId ? byGroupName.get(`${groupId}|${n.name}`) : byName.get(n.name)
        const ids = typeof found === 'string' ? [found] : (found ?? [])
        if (ids.length === 1) keys.push(`id|${ids[0]}`)
        else if (ids.length > 1) {
          fail(p.row, tagHeader, 'tag_import_ambiguous_tag', { name: n.name })
          bad = true
        } else if (opts.createMissing) {
          const target = groupId ?? opts.groupId!
          const key = `new|${target}|${n.name}`
          planned.set(key, { groupId: target, name: n.name })
          keys.push(key)
        } else {
          fail(p.row, tagHeader, 'tag_import_unknown_tag', {
            name: n.group ? `${n.group}:${n.name}` : n.name,
          })
          bad = true
        }
      }
      if (!bad) ready.push({ row: p.row, personId, tagKeys: [...new Set(keys)] })
    }

    // 4. Tags made for unknown names (audited one by one as creations).
    const made = planned.size
      ? await tagsRepo.insert(
          tx,
          [...planned.values()].map((x) => ({ groupId: x.groupId, name: x.name, createdBy: tx.actor.id })),
        )
      : []
    const keyToId = new Map<string, string>()
    for (const m of made) {
      keyToId.set(`new|${m.groupId}|${m.name}`, String(m.id))
      tagGroupOf.set(String(m.id), String(m.groupId))
    }
    const idOf = (key: string) => (key.startsWith('id|') ? key.slice(3) : keyToId.get(key)!)

    // 5. One person, one tag of an exclusive group: a later row giving another is a row error.
    const exclusiveHeld = new Map<string, string>()
    const byTag = new Map<string, Set<string>>()
    let tagged = 0
    for (const r of ready) {
      const tagIds = r.tagKeys.map(idOf)
      let conflict: string | null = null
      const mine = new Map<string, string>()
      for (const id of tagIds) {
        const g = groupById.get(tagGroupOf.get(id)!)
        if (!g?.exclusive) continue
        const held = exclusiveHeld.get(`${r.personId}|${g.id}`) ?? mine.get(g.id)
        if (held && held !== id) conflict = g.name
        mine.set(g.id, id)
      }
      if (conflict) {
        fail(r.row, tagHeader, 'tag_exclusive_row_conflict', { group: conflict })
        continue
      }
      for (const [g, id] of mine) exclusiveHeld.set(`${r.personId}|${g}`, id)
      for (const id of tagIds) byTag.set(id, (byTag.get(id) ?? new Set()).add(r.personId))
      tagged++
    }

    // 6. Applied tag by tag, set-based (source import, the file in each history row).
    let added = 0
    for (const [tagId, persons] of byTag) {
      const res = await tagPersons(tx, [...persons], {
        add: [tagId],
        source: 'import',
        detail: { fileName: opts.fileName },
      })
      added += res.added
    }
    await writeAudit(tx, [
      {
        action: 'import',
        objectType: 'tagging',
        summary: `导入标签 ${opts.fileName}：${rows} 行，打标 ${tagged} 行，新建标签 ${made.length} 个，错误 ${errorCount} 行`,
        after: { fileName: opts.fileName, rows, tagged, added, created: made.length, errors: errorCount },
      },
    ])
    errors.sort((a, b) => a.row - b.row)
    return { rows, tagged, created: made.length, errors, errorCount }
  })
}

type Locale = 'zh-CN' | 'zh-TW' | 'en'

/** The tag import template: mobile, email and tags columns with examples, and a notes sheet. */
export function tagImportTemplate(format: 'csv' | 'xlsx', locale: Locale): Promise<Buffer> {
  const zh = locale !== 'en'
  const tw = locale === 'zh-TW'
  return buildTableTemplate(
    format,
    locale,
    [
      {
        label: zh ? (tw ? '手機號' : '手机号') : 'Mobile',
        examples: ['13800138000', ''],
        note: zh
          ? tw
            ? '手機號、郵箱、人員ID、線索ID 或 客戶ID 任填一項'
            : '手机号、邮箱、人员ID、线索ID 或 客户ID 任填一项'
          : 'One of mobile, email, person id, lead id or customer id',
      },
      {
        label: zh ? (tw ? '郵箱' : '邮箱') : 'Email',
        examples: ['', 'li.na@example.com'],
        note: '',
      },
      {
        label: zh ? (tw ? '標籤' : '标签') : 'Tags',
        examples: [zh ? '母婴，高消费' : 'VIP, Newsletter', zh ? '人生阶段:宝妈' : 'Stage:Parent'],
        note: zh
          ? tw
            ? '多個標籤用 ，,、;| 分隔；可寫成「組名:標籤名」'
            : '多个标签用 ，,、;| 分隔；可写成「组名:标签名」'
          : 'Several tags split by , ; | — "group:tag" names the group',
      },
    ],
    zh ? (tw ? '標籤' : '标签') : 'Tags',
  )
}
