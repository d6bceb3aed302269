import type { Ctx } from '../../../platform/access/actor.js'
import { writeAudit } from '../../../platform/audit/service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { validationFailed } from '../../../platform/http/errors.js'
import { resolveSubjects, type SubjectType } from './subjects.js'
import { checkTagChange, tagPersons } from './tagging.service.js'

export const MAX_TAGGING_IDS = 1000

const SUBJECT_NAMES: Record<SubjectType, string> = { person: '人', lead: '线索', customer: '客户' }
/** Subject ids kept in the audit entry (beyond, the count only). */
const AUDITED_IDS = 100

export interface TagSubjectsInput {
  subjectType: SubjectType
  ids: string[]
  add?: string[]
  remove?: string[]
}

/**
 * Tags persons, leads or customers the caller sees (POST /tagging): each subject's person carries
 * the tags (a lead or customer without one gets a person). Invisible or unknown ids are skipped
 * (not_found). Source manual for one id, bulk for several. One audit entry per call.
 */
export async function tagSubjects(ctx: Ctx, input: TagSubjectsInput) {
  const add = [...new Set(input.add ?? [])]
  const remove = [...new Set(input.remove ?? [])]
  if (!add.length && !remove.length) throw validationFailed([{ field: 'add', code: 'required' }])
  const infos = await checkTagChange(ctx, add, remove)
  const ids = [...new Set(input.ids)]
  const single = ids.length === 1
  return inTransaction(ctx, async (tx) => {
    const resolved = await resolveSubjects(tx, input.subjectType, ids)
    const personIds = [...new Set(resolved.persons.values())]
    const detail = single
      ? { subjectType: input.subjectType, subjectId: ids[0] }
      : { subjectType: input.subjectType, count: resolved.persons.size }
    const result = await tagPersons(tx, personIds, {
      add,
      remove,
      source: single ? 'manual' : 'bulk',
      detail,
    })
    const names = (list: string[]) => list.map((id) => infos.get(id)!.name)
    const parts = [
      add.length ? `添加 ${names(add).join('、')}` : '',
      remove.length ? `移除 ${names(remove).join('、')}` : '',
    ].filter(Boolean)
    await writeAudit(tx, [
      {
        action: 'tag',
        objectType: 'tagging',
        objectId: single ? (personIds[0] ?? null) : null,
        summary: `${SUBJECT_NAMES[input.subjectType]} ${resolved.persons.size} 个：${parts.join('；')}`,
        after: {
          subjectType: input.subjectType,
          count: resolved.persons.size,
          ...(ids.length <= AUDITED_IDS ? { ids: [...resolved.persons.keys()] } : {}),
          add: add.map((id) => ({ id, name: infos.get(id)!.name })),
          remove: remove.map((id) => ({ id, name: infos.get(id)!.name })),
          added: result.added,
          removed: result.removed,
          personsCreated: resolved.created,
          skipped: resolved.skipped.length,
        },
      },
    ])
    return {
      updated: resolved.persons.size,
      added: result.added,
      removed: result.removed,
      personsCreated: resolved.created,
      skipped: resolved.skipped,
    }
  })
}
