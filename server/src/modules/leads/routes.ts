import { z } from 'zod'
import type { Ctx } from '../../platform/access/actor.js'
import { customMasker, unmasked } from '../../platform/custom-fields/validate.service.js'
import { runsInProcess } from '../../platform/db/index.js'
import { ctxOf } from '../../platform/http/context.js'
import { exportQuerySchema, listExport, sendDownload } from '../../platform/http/list-export.js'
import { buildListQuery, listQuerySchema, sendJsonPage } from '../../platform/http/list-query.js'
import type { HainaModule } from '../../platform/http/module.js'
import { createLeadManually } from '../intake/manual.service.js'
import { LEAD_EXPORT } from './export.js'
import { collaboratorsOf } from './lifecycle.service.js'
import { leads } from './schema.js'
import { deleteLeads, inPool, LEAD_STATUSES, leadSearch, leadsRepo, updateLead } from './service.js'

const tags = ['leads']
const idParams = z.object({ id: z.string() })
const text = (max: number) => z.string().trim().max(max).nullable().optional()
const leadBody = z.object({
  name: z.string().trim().min(1).max(100),
  mobile: text(30),
  email: text(200),
  company: text(200),
  title: text(100),
  source: text(60),
  status: z.enum(LEAD_STATUSES).optional(),
  notes: text(5000),
  ownerId: z.string().uuid().nullable().optional(),
  unitId: z.string().uuid().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
})
const time = z.date().or(z.string())
export const leadOut = z.object({
  id: z.string(),
  name: z.string(),
  mobile: z.string().nullable(),
  email: z.string().nullable(),
  company: z.string().nullable(),
  title: z.string().nullable(),
  source: z.string().nullable(),
  status: z.string(),
  notes: z.string().nullable(),
  ownerId: z.string().nullable(),
  unitId: z.string(),
  orgId: z.string(),
  custom: z.record(z.string(), z.unknown()),
  // Pools and lifecycle (issue #4)
  poolId: z.string().nullable(),
  category: z.string().nullable(),
  grade: z.string().nullable(),
  score: z.number(),
  assignedAt: time.nullable(),
  firstContactAt: time.nullable(),
  lastFollowUpAt: time.nullable(),
  nextFollowUpAt: time.nullable(),
  closeReason: z.string().nullable(),
  routingNote: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
  version: z.number(),
})
export type LeadOut = z.infer<typeof leadOut>
/** A list reads only what it returns (the table has many more columns: matching keys, provenance…). */
export const listColumns = Object.keys(leadOut.shape)

/** Leads as the API shows them: phones and emails masked without pii.view, PII custom fields too. */
export async function presentLeads(ctx: Ctx, rows: Record<string, unknown>[]): Promise<LeadOut[]> {
  const mask = await customMasker(ctx, 'lead')
  return rows.map((r) => {
    const l = leadsRepo.present(ctx, r)
    return { ...l, custom: mask(l.custom as Record<string, unknown>) } as LeadOut
  })
}

/** The lead list's filter and sort (shared by the list and its export). */
function leadListQuery(ctx: Ctx, query: { filter?: string; sort?: string }) {
  return buildListQuery(query, {
    columns: {
      name: leads.name,
      mobile: leads.mobile,
      email: leads.email,
      company: leads.company,
      source: leads.source,
      status: leads.status,
      ownerId: leads.ownerId,
      unitId: leads.unitId,
      orgId: leads.orgId,
      poolId: leads.poolId,
      category: leads.category,
      grade: leads.grade,
      score: leads.score,
      regionCode: leads.regionCode,
      channelId: leads.channelId,
      assignedAt: leads.assignedAt,
      nextFollowUpAt: leads.nextFollowUpAt,
      lastFollowUpAt: leads.lastFollowUpAt,
      createdAt: leads.createdAt,
      updatedAt: leads.updatedAt,
    },
    sortable: ['createdAt', 'updatedAt', 'name', 'score'],
    object: 'lead',
    ctx,
    extra: { q: (v) => leadSearch(String(v)), poolId: (v, field) => inPool(ctx, v, field) },
  })
}

/** Leads (线索): the foundation's scoped sample object; the intake and pool issues extend it. */
export const leadsModule: HainaModule = {
  name: 'leads',
  routes(app) {
    app.get(
      '/api/v1/leads',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary:
            'Leads in the caller’s data scope (filter on base fields incl. poolId, category, grade, score, ownerId, status, regionCode, channelId, nextFollowUpAt, lastFollowUpAt, custom.<key>, and q for search — all inside `filter`)',
          querystring: listQuerySchema,
          response: { 200: z.object({ items: z.array(leadOut), nextCursor: z.string().nullable() }) },
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        const q = await leadListQuery(ctx, req.query)
        const opts = {
          where: q.where,
          sort: q.sort,
          limit: req.query.limit,
          cursor: req.query.cursor,
          columns: listColumns,
        }
        const mask = await customMasker(ctx, 'lead')
        // PostgreSQL writes the page's JSON (data-access listJson) unless custom fields need masking;
        // the embedded database's worker is the busier thread, so Node does it there (runsInProcess).
        const json = mask === unmasked && !runsInProcess(ctx.db) ? await leadsRepo.listJson(ctx, opts) : null
        if (json) return sendJsonPage(reply, json)
        const page = await leadsRepo.list(ctx, opts)
        return {
          items: (mask === unmasked
            ? page.items
            : page.items.map((l) => ({
                ...l,
                custom: mask(l.custom as Record<string, unknown>),
              }))) as LeadOut[],
          nextCursor: page.nextCursor,
        }
      },
    )
    app.get(
      '/api/v1/leads/export',
      {
        config: { permission: 'leads.export' },
        schema: {
          tags,
          summary:
            'Download the lead list as XLSX (default) or CSV (UTF-8 with BOM): the list’s filter and sort, every matching lead in the caller’s data scope, custom fields as columns, headers in the caller’s language, PII masked without pii.view, formula-safe; audited',
          querystring: exportQuerySchema,
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req)
        const query = await leadListQuery(ctx, req.query)
        const spec = { ...LEAD_EXPORT, repo: leadsRepo, query, select: listColumns, request: req.query }
        return sendDownload(reply, await listExport(ctx, spec, req.query.format))
      },
    )
    app.get(
      '/api/v1/leads/:id',
      {
        config: { permission: 'leads.view' },
        schema: {
          tags,
          summary: 'One lead, with its collaborators (协作人)',
          params: idParams,
          response: { 200: leadOut.extend({ collaboratorIds: z.array(z.string()) }) },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const lead = await leadsRepo.get(ctx, req.params.id)
        return {
          ...lead,
          custom: (await customMasker(ctx, 'lead'))(lead.custom as Record<string, unknown>),
          // The lead page shows and edits them (PUT /leads/:id/collaborators).
          collaboratorIds: await collaboratorsOf(ctx, lead.id as string),
        } as LeadOut & { collaboratorIds: string[] }
      },
    )
    app.post(
      '/api/v1/leads',
      {
        config: { permission: 'leads.create', idempotent: true },
        schema: {
          tags,
          summary:
            'Create a lead through the data factory: 201 created (outcome created or review), 200 when it is a known person (outcome merged, the existing lead); 409 duplicate_lead when that lead is outside your scope. Send Idempotency-Key when retrying.',
          body: leadBody,
          response: {
            201: leadOut.extend({ outcome: z.string() }),
            200: leadOut.extend({ outcome: z.string() }),
          },
        },
      },
      async (req, reply) => {
        const { outcome, lead } = await createLeadManually(ctxOf(req), req.body)
        const created = outcome === 'created' || outcome === 'review'
        return reply.status(created ? 201 : 200).send({ ...(lead as LeadOut), outcome })
      },
    )
    app.patch(
      '/api/v1/leads/:id',
      {
        config: { permission: 'leads.edit' },
        schema: {
          tags,
          summary:
            'Change a lead (send version; a stale version gets 409). Owner, unit and status changes are recorded in its history; closed/invalid need a closeReason from the lead settings',
          params: idParams,
          body: leadBody.partial().extend({
            version: z.number().int().optional(),
            closeReason: z.string().max(64).nullable().optional(),
          }),
          response: { 200: leadOut },
        },
      },
      async (req) => (await updateLead(ctxOf(req), req.params.id, req.body)) as LeadOut,
    )
    app.delete(
      '/api/v1/leads/:id',
      {
        config: { permission: 'leads.delete' },
        schema: { tags, summary: 'Delete a lead (to the recycle bin)', params: idParams },
      },
      async (req, reply) => {
        const n = await deleteLeads(ctxOf(req), [req.params.id])
        if (!n) await leadsRepo.get(ctxOf(req), req.params.id)
        return reply.status(204).send()
      },
    )
  },
}
