/**
 * Test fixture of the profile tests: persons made the way production makes them — leads pushed
 * through the data factory (persons, identities, intents, pinyin keys, region) — plus behaviour
 * events, orders and tags written straight into their tables.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Workspace } from '../../../../test/kit.js'
import type { Ctx } from '../../../platform/access/actor.js'
import { newId } from '../../../platform/db/columns.js'
import { orgUnits, users } from '../../../platform/org/schema.js'
import { createChannel } from '../../intake/channels.service.js'
import { behaviourEvents, type ChannelKind } from '../../intake/schema.js'
import { runFactory } from '../../quality/factory.service.js'
import type { LeadInput } from '../../quality/normalize/index.js'

export const DAY = 86_400_000
export const ago = (days: number, from = Date.now()) => new Date(from - days * DAY)

/** Unit and org boundary of a user (or of the workspace's root when no owner). */
async function placeOf(ctx: Ctx, ownerId: string | null, rootUnitId: string) {
  const t = ctx.actor.tenantId
  let unitId = rootUnitId
  if (ownerId) {
    const [u] = await ctx.db
      .select({ unitId: users.unitId })
      .from(users)
      .where(and(eq(users.tenantId, t), eq(users.id, ownerId)))
    unitId = u!.unitId
  }
  const [unit] = await ctx.db
    .select({ orgId: orgUnits.orgId })
    .from(orgUnits)
    .where(and(eq(orgUnits.tenantId, t), eq(orgUnits.id, unitId)))
  return { unitId, orgId: unit!.orgId }
}

let seq = 0

/** A channel of the workspace (its unit: the root). */
export async function channel(ws: Workspace, name: string, kind: ChannelKind = 'web_form') {
  const { channel } = await createChannel(ws.sys, {
    kind,
    name,
    code: `ch${seq++}-${Date.now()}`,
    unitId: ws.rootUnitId,
  })
  return channel.id
}

/**
 * One intent through the data factory (a new lead and person, or merged into the person holding the
 * same mobile). Answers the person and lead ids.
 */
export async function intent(
  ws: Workspace,
  lead: LeadInput,
  opts: { channelId?: string | null; ownerId?: string | null; at?: Date } = {},
): Promise<{ personId: string; leadId: string }> {
  const place = await placeOf(ws.sys, opts.ownerId ?? null, ws.rootUnitId)
  const [r] = await runFactory(
    ws.sys,
    {
      channelId: opts.channelId ?? null,
      campaignId: null,
      importId: null,
      ...place,
      ownerId: opts.ownerId ?? null,
      source: 'test',
    },
    [{ lead, receivedAt: opts.at }],
  )
  if (!r?.personId || !r.leadId) throw new Error(`intent not stored: ${JSON.stringify(r)}`)
  return { personId: r.personId, leadId: r.leadId }
}

/** Behaviour events of one person: [type, when, properties]. */
export async function events(
  ws: Workspace,
  personId: string,
  list: [string, Date, Record<string, unknown>?][],
) {
  if (!list.length) return
  await ws.sys.db.insert(behaviourEvents).values(
    list.map(([type, occurredAt, properties]) => ({
      tenantId: ws.tenantId,
      id: newId(),
      personId,
      type,
      occurredAt,
      properties: properties ?? {},
    })),
  )
}

/** Sets when persons were last seen (the directory's order). */
export async function seen(ws: Workspace, at: Record<string, Date>) {
  for (const [id, when] of Object.entries(at))
    await ws.sys.db.execute(
      sql`update persons set last_seen_at = ${when.toISOString()}::timestamptz where tenant_id = ${ws.tenantId} and id = ${id}`,
    )
}
