import { z } from 'zod'
import { ctxOf } from '../../../platform/http/context.js'
import type { App } from '../../../platform/http/module.js'
import { conversionPreview, convertLead, getConversion } from './conversion.service.js'
import { CUSTOMER_KINDS, DEAL_ROLES } from './schema.js'
import { candidateOut, customerBody, idParams, text } from './schemas.js'

const tags = ['customers', 'leads']
const time = z.date().or(z.string())
const result = z.object({
  customerId: z.string(),
  contactId: z.string().nullable(),
  opportunityId: z.string().nullable(),
  existingCustomer: z.boolean(),
})

export function registerConversionRoutes(app: App) {
  app.get(
    '/api/v1/leads/:id/convert/preview',
    {
      config: { permission: 'customers.create' },
      schema: {
        tags,
        summary:
          'Before converting a lead: the lead, what a new customer would start with, existing customers you see that may be it (credit code, company name key, mobile), and its conversion if it was converted',
        params: idParams,
        response: {
          200: z.object({
            lead: z.object({
              id: z.string(),
              name: z.string(),
              company: z.string().nullable(),
              mobile: z.string().nullable(),
              email: z.string().nullable(),
              title: z.string().nullable(),
              source: z.string().nullable(),
              regionCode: z.string().nullable(),
              creditCode: z.string().nullable(),
              address: z.string().nullable(),
              status: z.string(),
            }),
            prefill: z.object({
              kind: z.enum(CUSTOMER_KINDS),
              name: z.string(),
              creditCode: z.string().nullable(),
              regionCode: z.string().nullable(),
              address: z.string().nullable(),
              source: z.string().nullable(),
            }),
            candidates: z.array(candidateOut),
            conversion: result.omit({ existingCustomer: true }).extend({ convertedAt: time }).nullable(),
          }),
        },
      },
    },
    async (req) => conversionPreview(ctxOf(req), req.params.id),
  )
  app.post(
    '/api/v1/leads/:id/convert',
    {
      config: { permission: 'customers.create', idempotent: true },
      schema: {
        tags,
        summary:
          'Convert a lead you see into a customer (new, prefilled from the lead, duplicate-checked; or existing) + contact + opportunity, in one step. Converting twice: 409 lead_already_converted with params {customerId, contactId, opportunityId, convertedAt}',
        params: idParams,
        body: z.object({
          customer: z.discriminatedUnion('mode', [
            customerBody.partial().extend({ mode: z.literal('new'), allowDuplicate: z.boolean().optional() }),
            z.object({ mode: z.literal('existing'), customerId: z.string().uuid() }),
          ]),
          contact: z
            .object({
              name: z.string().trim().min(1).max(100).optional(),
              title: text(100),
              mobile: text(30),
              email: text(200),
              dealRole: z.enum(DEAL_ROLES).nullable().optional(),
            })
            .nullable()
            .default({}),
          opportunity: z
            .object({
              name: z.string().trim().min(1).max(200).optional(),
              pipelineId: z.string().uuid().optional(),
              amount: z.number().int().min(0).optional().describe('Minor units (分)'),
              expectedCloseDate: z
                .string()
                .regex(/^\d{4}-\d{2}-\d{2}$/)
                .nullable()
                .optional(),
            })
            .nullable()
            .default({}),
        }),
        response: { 201: result },
      },
    },
    async (req, reply) => reply.status(201).send(await convertLead(ctxOf(req), req.params.id, req.body)),
  )
  app.get(
    '/api/v1/leads/:id/conversion',
    {
      config: { permission: 'leads.view' },
      schema: {
        tags,
        summary: 'The conversion of a lead (404 when it was not converted)',
        params: idParams,
        response: {
          200: result.extend({
            leadId: z.string(),
            customerName: z.string().nullable(),
            convertedBy: z.string().nullable(),
            convertedAt: time,
          }),
        },
      },
    },
    async (req) => getConversion(ctxOf(req), req.params.id),
  )
}
