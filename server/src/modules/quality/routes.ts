import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import type { HainaModule } from '../../platform/http/module.js'
import { localeOf } from '../../platform/http/problem.js'
import { JOB_STATUSES } from '../../platform/jobs/schema.js'
import { leadsRepo } from '../leads/service.js'
import { mergeLeads, mergesOf, unmerge } from './merge.service.js'
import './messages.js'
import './rededupe.job.js'
import { latestRededupe, startRededupe } from './rededupe.service.js'
import './rescore.job.js'
import { listReview, resolveReview } from './review.service.js'
import {
  listDedupeRules,
  listScoringRules,
  saveDedupeRules,
  saveScoringRules,
  saveSettings,
} from './rules.service.js'
import { DEDUPE_ACTIONS, MATCH_FIELDS, SCORING_KINDS } from './schema.js'
import { explainScore } from './scoring.service.js'
import { loadSettings } from './settings.service.js'
import { ruleName, withRuleNames } from './shipped-names.js'

const tags = ['quality']
const idParams = z.object({ id: z.string() })
const anyRecord = z.record(z.string(), z.unknown())
const condition = z.object({
  field: z.enum(MATCH_FIELDS),
  match: z.enum(['exact', 'fuzzy']),
  threshold: z.number().optional(),
})
const dedupeRule = z.object({
  id: z.string().nullable().optional(),
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  conditions: z.array(condition).max(10),
  scope: z.object({
    sameChannel: z.boolean().optional(),
    sameCampaign: z.boolean().optional(),
    windowDays: z.number().int().nullable().optional(),
    sameOrg: z.boolean().optional(),
  }),
  action: z.enum(DEDUPE_ACTIONS),
})
const policy = z.enum(['reject', 'flag'])
const settings = z.object({
  validation: z.object({
    mobile: policy,
    phone: policy,
    email: policy,
    disposableEmail: policy,
    wechat: policy,
    creditCode: policy,
  }),
  survivorship: z.object({
    default: z.enum(['newest', 'most_complete', 'channel_priority']),
    channelPriority: z.array(z.string().uuid()).max(50),
  }),
  grades: z.object({ A: z.number().int(), B: z.number().int(), C: z.number().int() }),
})
const scoringRule = z.object({
  id: z.string().nullable().optional(),
  name: z.string().trim().min(1).max(100),
  kind: z.enum(SCORING_KINDS),
  params: anyRecord,
  points: z.number().int(),
  enabled: z.boolean().default(true),
})

/** The cleansing side of the data factory: review queue, merge/unmerge, rules, settings, scoring. */
export const qualityModule: HainaModule = {
  name: 'quality',
  routes(app) {
    app.get(
      '/api/v1/quality/review-items',
      {
        config: { permission: 'quality.view' },
        schema: {
          tags,
          summary: 'Open review items (suspected duplicates, flagged records) with both leads side by side',
          querystring: z.object({
            kind: z.enum(['duplicate', 'invalid']).optional(),
            limit: z.coerce.number().int().min(1).max(200).default(20),
            cursor: z.string().optional(),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  kind: z.string(),
                  leadId: z.string(),
                  candidateLeadId: z.string().nullable(),
                  similarity: z.number().nullable(),
                  reasons: z.array(
                    // value: what arrived, for a value kept out of the lead because it was invalid
                    z.object({ field: z.string(), code: z.string(), value: z.string().optional() }),
                  ),
                  createdAt: z.date().or(z.string()),
                  rule: z
                    .object({ id: z.string().nullable(), name: z.string() })
                    .nullable()
                    .describe('The dedupe rule that raised a suspected duplicate (a shipped rule has no id)'),
                  lead: anyRecord.nullable(),
                  candidate: anyRecord.nullable(),
                }),
              ),
              nextCursor: z.string().nullable(),
            }),
          },
        },
      },
      async (req) => listReview(ctxOf(req), req.query) as never,
    )
    app.post(
      '/api/v1/quality/review-items/resolve',
      {
        config: { permission: 'quality.edit' },
        schema: {
          tags,
          summary: 'Resolve review items in bulk: merge, dismiss (keep both) or mark invalid',
          body: z.object({
            ids: z.array(z.string().uuid()).min(1).max(200),
            action: z.enum(['merge', 'dismiss', 'invalid']),
          }),
          response: { 200: z.object({ resolved: z.number() }) },
        },
      },
      async (req) => resolveReview(ctxOf(req), req.body.ids, req.body.action),
    )
    app.post(
      '/api/v1/leads/merge',
      {
        config: { permission: 'quality.edit' },
        schema: {
          tags,
          summary: 'Merge leads into one (keeps before-images; undo with the merge id)',
          body: z.object({
            targetId: z.string().uuid(),
            sourceIds: z.array(z.string().uuid()).min(1).max(20),
          }),
          response: { 200: z.object({ targetId: z.string(), mergeIds: z.array(z.string()) }) },
        },
      },
      async (req) => {
        const r = await mergeLeads(ctxOf(req), req.body.targetId, req.body.sourceIds)
        return { targetId: r.targetId, mergeIds: r.mergeIds }
      },
    )
    app.post(
      '/api/v1/quality/merges/:id/undo',
      {
        config: { permission: 'quality.edit' },
        schema: {
          tags,
          summary: 'Unmerge: restore the lead and what was merged into it',
          params: idParams,
          response: { 200: z.object({ targetId: z.string(), restoredId: z.string().nullable() }) },
        },
      },
      async (req) => unmerge(ctxOf(req), req.params.id),
    )
    app.get(
      '/api/v1/leads/:id/merges',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary: 'Merges into a lead, newest first',
          params: idParams,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  id: z.string(),
                  sourceLeadId: z.string().nullable(),
                  intentId: z.string().nullable(),
                  importId: z.string().nullable(),
                  changed: z.array(z.string()),
                  mergedAt: z.date().or(z.string()),
                  undoneAt: z.date().or(z.string()).nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (req) => ({ items: await mergesOf(ctxOf(req), req.params.id) }),
    )
    app.get(
      '/api/v1/leads/:id/score',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary: 'Why a lead has its score: the points of each scoring rule',
          params: idParams,
          response: {
            200: z.object({
              score: z.number(),
              grade: z.string().nullable(),
              rules: z.array(z.object({ rule: z.string(), kind: z.string(), points: z.number() })),
            }),
          },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const lead = await leadsRepo.get(ctx, req.params.id, { raw: true })
        return {
          score: Number(lead.score ?? 0),
          grade: (lead.grade as string | null) ?? null,
          rules: (await explainScore(ctx, req.params.id)).map((r) => ({
            ...r,
            rule: ruleName(r.rule, localeOf(req)),
          })),
        }
      },
    )
    app.get(
      '/api/v1/quality/settings',
      {
        config: { permission: 'quality.view' },
        schema: {
          tags,
          summary: 'Validation policies, survivorship and grade thresholds',
          response: { 200: settings },
        },
      },
      async (req) => loadSettings(ctxOf(req)),
    )
    app.put(
      '/api/v1/quality/settings',
      {
        config: { permission: 'quality.configure' },
        schema: {
          tags,
          summary: 'Change the data-quality settings',
          body: settings,
          response: { 200: settings },
        },
      },
      async (req) => saveSettings(ctxOf(req), req.body),
    )
    app.get(
      '/api/v1/quality/dedupe-rules',
      {
        config: { permission: 'quality.view' },
        schema: {
          tags,
          summary: 'Dedupe rules in priority order (the defaults until the workspace saves its own)',
          response: { 200: z.object({ items: z.array(dedupeRule.extend({ priority: z.number() })) }) },
        },
      },
      async (req) => ({ items: withRuleNames(await listDedupeRules(ctxOf(req)), localeOf(req)) }),
    )
    app.put(
      '/api/v1/quality/dedupe-rules',
      {
        config: { permission: 'quality.configure' },
        schema: {
          tags,
          summary: 'Replace the dedupe rules (order = priority); 400 names the bad condition',
          body: z.object({ rules: z.array(dedupeRule).max(50) }),
          response: { 200: z.object({ items: z.array(dedupeRule.extend({ priority: z.number() })) }) },
        },
      },
      async (req) => ({
        items: withRuleNames(await saveDedupeRules(ctxOf(req), req.body.rules), localeOf(req)),
      }),
    )
    app.get(
      '/api/v1/quality/scoring-rules',
      {
        config: { permission: 'quality.view' },
        schema: {
          tags,
          summary: 'Scoring rules',
          response: { 200: z.object({ items: z.array(scoringRule) }) },
        },
      },
      async (req) => ({ items: withRuleNames(await listScoringRules(ctxOf(req)), localeOf(req)) }),
    )
    app.put(
      '/api/v1/quality/scoring-rules',
      {
        config: { permission: 'quality.configure' },
        schema: {
          tags,
          summary: 'Replace the scoring rules',
          body: z.object({ rules: z.array(scoringRule).max(50) }),
          response: { 200: z.object({ items: z.array(scoringRule) }) },
        },
      },
      async (req) => ({
        items: withRuleNames(await saveScoringRules(ctxOf(req), req.body.rules), localeOf(req)),
      }),
    )
    const rededupeRun = z.object({
      jobId: z.string(),
      status: z.enum(JOB_STATUSES),
      progress: z.number(),
      progressMessage: z.string().nullable(),
      result: z.unknown(),
      lastError: z.string().nullable(),
      createdAt: z.date().or(z.string()),
      finishedAt: z.date().or(z.string()).nullable(),
    })
    app.get(
      '/api/v1/quality/rededupe',
      {
        config: { permission: 'quality.view' },
        schema: {
          tags,
          summary: 'The latest re-dedupe run: progress while it runs, its counts when done',
          response: { 200: z.object({ run: rededupeRun.nullable() }) },
        },
      },
      async (req) => ({ run: await latestRededupe(ctxOf(req)) }),
    )
    app.post(
      '/api/v1/quality/rededupe',
      {
        config: { permission: 'quality.configure' },
        schema: {
          tags,
          summary:
            'Re-run dedupe over the whole pool with the current rules (a job with progress); while one runs, answers with that one',
          response: { 202: z.object({ jobId: z.string(), started: z.boolean(), run: rededupeRun }) },
        },
      },
      async (req, reply) => {
        const { run, started } = await startRededupe(ctxOf(req))
        return reply.status(202).send({ jobId: run.jobId, started, run })
      },
    )
  },
}
