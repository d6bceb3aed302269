import { z } from 'zod'
import { ctxOf } from '../../platform/http/context.js'
import type { App } from '../../platform/http/module.js'
import { getSalesSettings, type SalesSettings, updateSalesSettings } from './settings.service.js'

const tags = ['sales']
const reasons = z.array(z.string().trim().min(1).max(40)).min(1).max(50)
const settingsOut = z.object({
  quoteApprovalDiscountPct: z.number(),
  quoteValidDays: z.number(),
  quoteNumberPrefix: z.string(),
  orderNumberPrefix: z.string(),
  lostReasons: z.array(z.string()),
  wonReasons: z.array(z.string()),
  customerGroups: z.object({
    windowDays: z.number(),
    highValue: z.number().nullable(),
    highFrequency: z.number().nullable(),
  }),
  version: z.number(),
})
const settingsBody = z.object({
  quoteApprovalDiscountPct: z.number().min(0).max(100).optional(),
  quoteValidDays: z.number().int().min(1).max(365).optional(),
  quoteNumberPrefix: z.string().trim().min(1).max(10).optional(),
  orderNumberPrefix: z.string().trim().min(1).max(10).optional(),
  lostReasons: reasons.optional(),
  wonReasons: reasons.optional(),
  customerGroups: z
    .object({
      windowDays: z.number().int().min(1).max(3650),
      highValue: z.number().int().min(0).nullable(),
      highFrequency: z.number().int().min(1).nullable(),
    })
    .optional(),
  version: z.number().int().optional(),
})

/** Sales settings (销售设置): quote approval threshold and numbering, won/lost reasons, the A–E group rule. */
export function salesSettingsRoutes(app: App) {
  app.get(
    '/api/v1/sales/settings',
    {
      config: { permission: 'authenticated' },
      schema: {
        tags,
        summary:
          'The workspace’s sales settings (defaults with version 0 until first saved); won/lost also accept "other" with a note',
        response: { 200: settingsOut },
      },
    },
    async (req) => (await getSalesSettings(ctxOf(req))) as SalesSettings,
  )
  app.patch(
    '/api/v1/sales/settings',
    {
      config: { permission: 'opportunities.configure' },
      schema: {
        tags,
        summary: 'Change the sales settings (fields left out keep their value; send version, stale → 409)',
        body: settingsBody,
        response: { 200: settingsOut },
      },
    },
    async (req) => (await updateSalesSettings(ctxOf(req), req.body)) as SalesSettings,
  )
}
