import { sql } from 'drizzle-orm'
import { z } from 'zod'
import type { Ctx } from '../../../platform/access/actor.js'
import { ctxOf } from '../../../platform/http/context.js'
import type { HainaModule } from '../../../platform/http/module.js'
import { channels, EVENT_TYPES } from '../../intake/schema.js'
import '../rules/jobs.js'
import { EVENT_TYPE_LABELS, loadFieldCatalogue, presentField } from './fields.js'
import './messages.js'

const tags = ['profile-conditions']
const MAX_EVENT_TYPES = 200

const option = z.object({ value: z.string(), label: z.string() })
const fieldOut = z.object({
  field: z.string(),
  group: z.enum(['person', 'tags', 'identity', 'lead', 'customer', 'channel', 'behaviour', 'orders']),
  label: z.string(),
  kind: z.enum([
    'text',
    'number',
    'money',
    'date',
    'region',
    'enum',
    'uuid',
    'boolean',
    'tags',
    'identity',
    'channel',
  ]),
  ops: z.array(z.string()),
  params: z.array(z.enum(['days', 'eventType', 'property', 'propertyValue', 'channelId'])),
  requiredParams: z.array(z.string()).optional(),
  multi: z.boolean().optional().describe('Multi-valued (multi-select): in = any of, all = every one of'),
  options: z.array(option).optional(),
})

/**
 * Event types present in the workspace, read as a loose index scan of behaviour_events_type_idx
 * (one index probe per distinct type), so 20M events cost milliseconds.
 */
async function presentEventTypes(ctx: Ctx): Promise<string[]> {
  const t = ctx.actor.tenantId
  const res = await ctx.db.execute<{ type: string }>(sql`
    with recursive ty as (
      (select type from behaviour_events where tenant_id = ${t} order by type limit 1)
      union all
      select (select e.type from behaviour_events e where e.tenant_id = ${t} and e.type > ty.type order by e.type limit 1)
      from ty where ty.type is not null
    )
    select type from ty where type is not null limit ${MAX_EVENT_TYPES}`)
  return res.rows.map((r) => r.type)
}

/** The condition catalogue (fields, operators, parameters) the rule and segment builders offer. */
export const profileConditionsModule: HainaModule = {
  name: 'profile-conditions',
  routes(app) {
    app.get(
      '/api/v1/profile-conditions/fields',
      {
        config: { permission: 'profiles.view' },
        schema: {
          tags,
          summary:
            'The fields tag rules and segments may test (base fields, lead and customer custom fields, behaviour, orders), with their kinds, operators and parameters, and the event types (standard plus those recorded in the workspace), in the caller’s language',
          response: {
            200: z.object({ fields: z.array(fieldOut), eventTypes: z.array(option) }),
          },
        },
      },
      async (req) => {
        const ctx = ctxOf(req)
        const catalogue = await loadFieldCatalogue(ctx)
        const channelOptions = (
          await ctx.db
            .select({ value: channels.id, label: channels.name })
            .from(channels)
            .where(sql`${channels.tenantId} = ${ctx.actor.tenantId}`)
            .orderBy(channels.name)
        ).map((c) => ({ value: c.value, label: c.label }))
        const fields = [...catalogue.values()].map((spec) => {
          const f = presentField(spec, ctx.locale)
          return spec.kind === 'channel' ? { ...f, options: channelOptions } : f
        })
        const standard = new Set<string>(EVENT_TYPES)
        const eventTypes = [
          ...EVENT_TYPES.map((v) => ({ value: v as string, label: EVENT_TYPE_LABELS[v][ctx.locale] })),
          ...(await presentEventTypes(ctx))
            .filter((v) => !standard.has(v))
            .map((v) => ({ value: v, label: v })),
        ]
        return { fields, eventTypes }
      },
    )
  },
}
