import multipart from '@fastify/multipart'
import { z } from 'zod'
import { ctxOf } from '../../../platform/http/context.js'
import type { HainaModule } from '../../../platform/http/module.js'
import { sendTemplate, withUpload } from '../../intake/import/import.routes.js'
import type { ConditionNode } from '../conditions/types.js'
import { assertPersonVisible } from '../persons/scope.js'
import { TAG_REMOVAL } from '../schema.js'
import { explainTag, tagHistory } from './history.service.js'
import { importTags, MAX_TAG_IMPORT_BYTES, MAX_TAG_IMPORT_ROWS, tagImportTemplate } from './import.service.js'
import { tagViewOut } from './schemas.js'
import { SUBJECT_TYPES } from './subjects.js'
import { MAX_TAGGING_IDS, tagSubjects } from './tag-subjects.service.js'
import { personTagsOf } from './tagging.service.js'
import {
  createTag,
  createTagGroup,
  deleteTag,
  deleteTagGroup,
  getTag,
  listTagGroups,
  rulePreview,
  runTagNow,
  type TagInput,
  type TagPatch,
  updateTag,
  updateTagGroup,
} from './taxonomy.service.js'

const tags = ['tags']
/**
 * A condition tree on the wire. Not the recursive zod schema: its JSON Schema references do not
 * survive into the OpenAPI document (the typed client). validateConditionTree checks the shape and
 * names every bad part.
 */
const conditionTree = z
  .record(z.string(), z.unknown())
  .describe(
    'Condition tree: a group {match: "all"|"any", conditions: [...]} or a leaf {field, op, value?, params?} (fields: GET /profile-conditions/fields)',
  )
const idParams = z.object({ id: z.string() })
const time = z.date().or(z.string())
const text = (max: number) => z.string().trim().max(max).nullable().optional()
const color = z
  .string()
  .max(20)
  .nullable()
  .optional()
  .describe(
    '#rrggbb or an Ant Design preset (magenta, red, volcano, orange, gold, lime, green, cyan, blue, geekblue, purple…)',
  )
const sortOrder = z.number().int().min(-1_000_000).max(1_000_000).optional()
const version = z
  .number()
  .int()
  .optional()
  .describe('The version read; a stale one is 409 conflict with the current row')
const confirmQuery = z.object({
  confirm: z.enum(['true', 'false', '1', '0']).optional().describe('true: delete although in use'),
})
const yes = (v: string | undefined) => v === 'true' || v === '1'

const tagOut = z.object({
  id: z.string(),
  groupId: z.string(),
  name: z.string(),
  color: z.string().nullable(),
  description: z.string().nullable(),
  sortOrder: z.number(),
  rule: conditionTree.nullable(),
  ruleEnabled: z.boolean(),
  ruleRemoval: z.enum(TAG_REMOVAL),
  ruleRunAt: time.nullable(),
  ruleMatchCount: z.number().nullable(),
  personCount: z.number().describe('Persons carrying the tag (whole workspace)'),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
})
const tagDetail = tagOut.extend({ groupName: z.string(), exclusive: z.boolean() })
const groupOut = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  color: z.string().nullable(),
  exclusive: z.boolean(),
  sortOrder: z.number(),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
  tags: z.array(tagOut),
})
const groupBody = z.object({
  name: z.string().trim().min(1).max(60),
  description: text(500),
  color,
  exclusive: z
    .boolean()
    .optional()
    .describe('Mutually exclusive options: a person carries at most one of its tags'),
  sortOrder,
})
const ruleFields = {
  rule: conditionTree
    .nullable()
    .optional()
    .describe(
      'Condition tree (all/any groups, leaves {field, op, value, params}); 400 names the bad condition',
    ),
  ruleEnabled: z.boolean().optional().describe('Automatic tagging: evaluated on change and on schedule'),
  ruleRemoval: z
    .enum(TAG_REMOVAL)
    .optional()
    .describe('remove: the tag goes when the rule stops holding; keep'),
  acknowledgeWarning: z
    .boolean()
    .optional()
    .describe(
      'Save a rule that matches everyone or no one (otherwise 409 rule_warning {warning, matches, total})',
    ),
}
const tagFields = {
  name: z.string().trim().min(1).max(60),
  color,
  description: text(500),
  sortOrder,
  ...ruleFields,
}
const tagCreateBody = z.object({ groupId: z.string().max(100), ...tagFields })
const tagPatchBody = z.object({ ...tagFields, name: tagFields.name.optional(), version })

const usageOut = z.object({ tags: z.number(), persons: z.number(), segments: z.number(), rules: z.number() })
const previewOut = z.object({
  matches: z.number(),
  total: z.number(),
  warning: z.enum(['everyone', 'no_one']).nullable(),
})
const runOut = z.object({ matched: z.number(), added: z.number(), removed: z.number() })

const personParams = z.object({ id: z.string() })
const explainedCondition = z.object({
  path: z.string(),
  field: z.string(),
  op: z.string(),
  value: z.unknown().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  actual: z.unknown(),
  holds: z.boolean(),
})

/** Tag taxonomy, tagging (one by one, bulk, import), tag history and automatic tag rules. */
export const tagsModule: HainaModule = {
  name: 'tags',
  async routes(app, deps) {
    // The lead import registers multipart uploads for the whole app; only if it is not mounted.
    if (!app.hasContentTypeParser('multipart/form-data'))
      await app.register(multipart, { limits: { fileSize: deps.config.importMaxBytes, files: 1 } })

    // --- Taxonomy -------------------------------------------------------------------------------
    app.get(
      '/api/v1/tag-groups',
      {
        config: { permission: 'profiles.view' },
        schema: {
          tags,
          summary: 'Tag groups with their tags (sort order, then name), each tag with its person count',
          response: { 200: z.object({ items: z.array(groupOut) }) },
        },
      },
      async (req) => ({ items: (await listTagGroups(ctxOf(req))) as never }),
    )
    app.post(
      '/api/v1/tag-groups',
      {
        config: { permission: 'profiles.configure', idempotent: true },
        schema: {
          tags,
          summary: 'Create a tag group (a name in use is 409 duplicate naming name)',
          body: groupBody,
          response: { 201: groupOut },
        },
      },
      async (req, reply) => reply.status(201).send((await createTagGroup(ctxOf(req), req.body)) as never),
    )
    app.patch(
      '/api/v1/tag-groups/:id',
      {
        config: { permission: 'profiles.configure' },
        schema: {
          tags,
          summary:
            'Change a tag group (send version; stale → 409). Making it exclusive while persons carry several of its tags is 409 tag_group_not_exclusive',
          params: idParams,
          body: groupBody.partial().extend({ version }),
          response: { 200: groupOut },
        },
      },
      async (req) => (await updateTagGroup(ctxOf(req), req.params.id, req.body)) as never,
    )
    app.delete(
      '/api/v1/tag-groups/:id',
      {
        config: { permission: 'profiles.configure' },
        schema: {
          tags,
          summary:
            'Delete a tag group and its tags (recycle bin). In use (carried, or named by segments or rules) without confirm=true → 409 tag_group_in_use {tags, persons, segments, rules}; with it, the carriers lose the tags (history: group_deleted)',
          params: idParams,
          querystring: confirmQuery,
          response: { 200: usageOut },
        },
      },
      async (req) => deleteTagGroup(ctxOf(req), req.params.id, yes(req.query.confirm)),
    )
    app.post(
      '/api/v1/tags',
      {
        config: { permission: 'profiles.configure', idempotent: true },
        schema: {
          tags,
          summary:
            'Create a tag in a group; an enabled rule is validated (400 naming the condition), previewed (409 rule_warning unless acknowledgeWarning) and queued to run',
          body: tagCreateBody,
          response: { 201: tagDetail },
        },
      },
      async (req, reply) =>
        reply.status(201).send((await createTag(ctxOf(req), req.body as TagInput)) as never),
    )
    app.post(
      '/api/v1/tags/rule-preview',
      {
        config: { permission: 'profiles.configure' },
        schema: {
          tags,
          summary:
            'How many persons a draft rule matches (whole workspace) and whether it tags everyone or no one',
          body: z.object({ rule: conditionTree }),
          response: { 200: previewOut },
        },
      },
      async (req) => rulePreview(ctxOf(req), req.body.rule as unknown as ConditionNode),
    )
    app.get(
      '/api/v1/tags/:id',
      {
        config: { permission: 'profiles.view' },
        schema: {
          tags,
          summary: 'One tag with its group and person count',
          params: idParams,
          response: { 200: tagDetail },
        },
      },
      async (req) => (await getTag(ctxOf(req), req.params.id)) as never,
    )
    app.patch(
      '/api/v1/tags/:id',
      {
        config: { permission: 'profiles.configure' },
        schema: {
          tags,
          summary:
            'Change a tag and its rule (send version; stale → 409). An enabled rule, new or changed, is validated, previewed (409 rule_warning {warning, matches, total} unless acknowledgeWarning) and queued to run',
          params: idParams,
          body: tagPatchBody,
          response: { 200: tagDetail },
        },
      },
      async (req) => (await updateTag(ctxOf(req), req.params.id, req.body as TagPatch)) as never,
    )
    app.delete(
      '/api/v1/tags/:id',
      {
        config: { permission: 'profiles.configure' },
        schema: {
          tags,
          summary:
            'Delete a tag (recycle bin). In use without confirm=true → 409 tag_in_use {tags, persons, segments, rules}; with it, the carriers lose it (history)',
          params: idParams,
          querystring: confirmQuery,
          response: { 200: usageOut },
        },
      },
      async (req) => deleteTag(ctxOf(req), req.params.id, yes(req.query.confirm)),
    )
    app.post(
      '/api/v1/tags/:id/run',
      {
        config: { permission: 'profiles.configure' },
        schema: {
          tags,
          summary: 'Run the tag’s rule now over the whole workspace (409 tag_no_rule without one)',
          params: idParams,
          response: { 200: runOut },
        },
      },
      async (req) => runTagNow(ctxOf(req), req.params.id),
    )

    // --- Tagging -------------------------------------------------------------------------------
    app.post(
      '/api/v1/tagging',
      {
        config: { permission: 'profiles.edit' },
        schema: {
          tags,
          summary:
            'Tag persons, leads or customers the caller sees (their person carries the tags; one is made for a lead or customer without). Adding a tag of an exclusive group removes the others of it. Unknown or invisible ids are skipped (not_found)',
          body: z.object({
            subjectType: z.enum(SUBJECT_TYPES),
            ids: z.array(z.string().max(100)).min(1).max(MAX_TAGGING_IDS),
            add: z.array(z.string().max(100)).max(50).optional(),
            remove: z.array(z.string().max(100)).max(50).optional(),
          }),
          response: {
            200: z.object({
              updated: z.number().describe('Subjects tagged'),
              added: z.number().describe('Tags put on (already held ones are not counted)'),
              removed: z.number(),
              personsCreated: z.number(),
              skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
            }),
          },
        },
      },
      async (req) => tagSubjects(ctxOf(req), req.body),
    )

    // --- A person's tags -----------------------------------------------------------------------
    app.get(
      '/api/v1/persons/:id/tags',
      {
        config: { permission: 'profiles.view' },
        schema: {
          tags,
          summary: 'The tags a person carries (404 unless the caller sees the person)',
          params: personParams,
          response: { 200: z.object({ items: z.array(tagViewOut) }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        await assertPersonVisible(ctx, req.params.id)
        return { items: (await personTagsOf(ctx, [req.params.id])).get(req.params.id) ?? [] }
      },
    )
    app.get(
      '/api/v1/persons/:id/tag-history',
      {
        config: { permission: 'profiles.view' },
        schema: {
          tags,
          summary: 'A person’s tag history, newest first (who or which rule, source, detail)',
          params: personParams,
          querystring: z.object({
            cursor: z.string().max(500).optional(),
            limit: z.coerce.number().int().min(1).max(200).optional(),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  tagId: z.string(),
                  tagName: z.string(),
                  action: z.enum(['added', 'removed']),
                  source: z.string(),
                  actorId: z.string().nullable(),
                  actorName: z.string().nullable(),
                  detail: z.record(z.string(), z.unknown()),
                  at: time,
                }),
              ),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
      async (req) => tagHistory(ctxOf(req), req.params.id, req.query),
    )
    app.get(
      '/api/v1/persons/:id/tags/:tagId/explanation',
      {
        config: { permission: 'profiles.view' },
        schema: {
          tags,
          summary:
            'Why the person carries the tag: the rule’s conditions with the person’s values (rule tags), or who added it and when (manual, bulk, import)',
          params: z.object({ id: z.string(), tagId: z.string() }),
          response: {
            200: z.object({
              tag: z.object({
                id: z.string(),
                name: z.string(),
                color: z.string().nullable(),
                groupId: z.string(),
                groupName: z.string(),
                rule: conditionTree.nullable(),
                ruleEnabled: z.boolean(),
              }),
              carried: z.boolean(),
              source: z.string().nullable(),
              addedAt: time.nullable(),
              addedBy: z.string().nullable(),
              addedByName: z.string().nullable(),
              holds: z
                .boolean()
                .nullable()
                .describe('The rule holds for the person now (null: not explained by a rule)'),
              conditions: z.array(explainedCondition),
            }),
          },
        },
      },
      async (req) => (await explainTag(ctxOf(req), req.params.id, req.params.tagId)) as never,
    )

    // --- Import --------------------------------------------------------------------------------
    app.get(
      '/api/v1/tag-imports/template',
      {
        config: { permission: 'profiles.import' },
        schema: {
          tags,
          summary: 'Download the tag import template (identity columns, a tags column, a notes sheet)',
          querystring: z.object({
            format: z.enum(['csv', 'xlsx']).default('xlsx'),
            locale: z.enum(['zh-CN', 'zh-TW', 'en']).optional(),
          }),
        },
      },
      async (req, reply) => {
        const locale = req.query.locale ?? ctxOf(req).locale
        return sendTemplate(
          reply,
          req.query.format,
          'haina-tags-template',
          await tagImportTemplate(req.query.format, locale),
        )
      },
    )
    app.post(
      '/api/v1/tag-imports',
      {
        config: { permission: 'profiles.import' },
        schema: {
          tags,
          summary: `Tag persons from a file (CSV UTF-8/BOM/GBK or XLSX, at most ${MAX_TAG_IMPORT_ROWS} rows and ${MAX_TAG_IMPORT_BYTES / 1048576} MB; 413 beyond): an identity column (手机号/邮箱/人员ID/线索ID/客户ID/客户编号) and a 标签 column (names split by ，,、;| or "组名:标签名"). Form fields before the file (or query): createMissing=true with groupId creates unknown tags (profiles.configure). Rows with problems are listed and left out`,
          consumes: ['multipart/form-data'],
          querystring: z.object({
            createMissing: z.enum(['true', 'false', '1', '0']).optional(),
            groupId: z.string().max(100).optional(),
          }),
          response: {
            200: z.object({
              rows: z.number(),
              tagged: z.number().describe('Rows whose tags were applied'),
              created: z.number().describe('Tags created'),
              errors: z.array(
                z.object({
                  row: z.number(),
                  field: z.string().nullable(),
                  code: z.string(),
                  message: z.string(),
                }),
              ),
              errorCount: z.number(),
            }),
          },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const max = Math.min(deps.config.importMaxBytes, MAX_TAG_IMPORT_BYTES)
        return withUpload(req, max, (file, field) =>
          importTags(ctx, file.path, {
            fileName: file.fileName,
            maxBytes: max,
            createMissing: yes(field('createMissing') ?? req.query.createMissing),
            groupId: field('groupId') ?? req.query.groupId,
          }),
        )
      },
    )
  },
}
