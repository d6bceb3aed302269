import { leadOf } from '../../src/modules/profiles/tags/fixture.js'
import { tagPersons } from '../../src/modules/profiles/tags/tagging.service.js'
import { createTag, createTagGroup } from '../../src/modules/profiles/tags/taxonomy.service.js'
import type { Workspace } from '../kit.js'
import type { RouteSample } from './types.js'

let n = 0
const group = async (ws: Workspace) => (await createTagGroup(ws.sys, { name: `样例标签组${n++}` })).id
const tag = async (ws: Workspace, rule?: unknown) =>
  (
    await createTag(ws.sys, {
      groupId: await group(ws),
      name: `样例标签${n++}`,
      ...(rule ? { rule: rule as never } : {}),
    })
  ).id
/** A tag whose rule names another tag (valid, not enabled: it runs on demand). */
const ruleTag = async (ws: Workspace) => {
  const base = await tag(ws)
  return tag(ws, { match: 'all', conditions: [{ field: 'tags', op: 'in', value: [base] }] })
}
/** A person (through a lead) carrying a fresh tag. */
const tagged = async (ws: Workspace) => {
  const { personId, leadId } = await leadOf(ws)
  const tagId = await tag(ws)
  await tagPersons(ws.sys, [personId], { add: [tagId], source: 'manual' })
  return { personId, leadId, tagId }
}

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/tag-groups',
    audits: 'tag_group',
    prepare: async () => ({ body: { name: `新标签组${n++}`, color: 'blue' } }),
  },
  {
    route: 'PATCH /api/v1/tag-groups/:id',
    audits: 'tag_group',
    prepare: async (_k, ws) => ({
      params: { id: await group(ws) },
      body: { description: '说明', version: 1 },
    }),
  },
  {
    route: 'DELETE /api/v1/tag-groups/:id',
    audits: 'tag_group',
    prepare: async (_k, ws) => ({ params: { id: await group(ws) } }),
  },
  {
    route: 'POST /api/v1/tags',
    audits: 'tag',
    prepare: async (_k, ws) => ({
      body: { groupId: await group(ws), name: `新标签${n++}`, color: '#1677ff' },
    }),
  },
  {
    route: 'POST /api/v1/tags/rule-preview',
    audits: null,
    prepare: async () => ({ body: { rule: { field: 'person.name', op: 'not_empty' } } }),
  },
  {
    route: 'GET /api/v1/tags/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await tag(ws) } }),
  },
  {
    route: 'PATCH /api/v1/tags/:id',
    audits: 'tag',
    prepare: async (_k, ws) => ({ params: { id: await tag(ws) }, body: { description: '说明', version: 1 } }),
  },
  {
    route: 'DELETE /api/v1/tags/:id',
    audits: 'tag',
    prepare: async (_k, ws) => ({ params: { id: (await tagged(ws)).tagId }, query: { confirm: 'true' } }),
  },
  {
    route: 'POST /api/v1/tags/:id/run',
    audits: 'tag',
    prepare: async (_k, ws) => ({ params: { id: await ruleTag(ws) } }),
  },
  {
    route: 'POST /api/v1/tagging',
    audits: 'tagging',
    prepare: async (_k, ws) => {
      const { leadId } = await leadOf(ws)
      return { body: { subjectType: 'lead', ids: [leadId], add: [await tag(ws)] } }
    },
  },
  {
    route: 'GET /api/v1/persons/:id/tags',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await tagged(ws)).personId } }),
  },
  {
    route: 'GET /api/v1/persons/:id/tag-history',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: (await tagged(ws)).personId } }),
  },
  {
    route: 'GET /api/v1/persons/:id/tags/:tagId/explanation',
    audits: null,
    prepare: async (_k, ws) => {
      const { personId, tagId } = await tagged(ws)
      return { params: { id: personId, tagId } }
    },
  },
  {
    route: 'POST /api/v1/tag-imports',
    audits: 'tagging',
    coveredElsewhere: 'a multipart upload: src/modules/profiles/tags/import.test.ts',
    prepare: async () => ({}),
  },
]
