import { and, eq } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { createRepository } from '../../platform/access/data-access.js'
import { apiKeysRepo } from '../../platform/auth/api-keys.routes.js'
import { apiKeyValue, randomToken, sha256 } from '../../platform/auth/tokens.js'
import { newId } from '../../platform/db/columns.js'
import { inTransaction } from '../../platform/db/tx.js'
import { AppError, validationFailed } from '../../platform/http/errors.js'
import { translate } from '../../platform/i18n/messages.js'
import { roles } from '../../platform/org/schema.js'
import { unitOrg } from '../../platform/org/units.service.js'
import { workspaceLocale } from '../../platform/tenancy/locale.js'
import { type ChannelKind, type ChannelMapping, channels } from './schema.js'
import './messages.js'

export const channelsRepo = createRepository({
  table: channels,
  objectType: 'channel',
  scope: { unit: channels.unitId, org: channels.orgId },
  sortable: ['createdAt', 'name'],
})

export type Channel = typeof channels.$inferSelect

export interface ChannelInput {
  kind: ChannelKind
  name: string
  code: string
  unitId: string
  enabled?: boolean
  mapping?: ChannelMapping
  form?: Record<string, unknown>
}

/** Target fields a mapping may fill: the unified lead standard, plus custom.<key>. */
export const MAPPING_TARGETS = [
  'name',
  'mobile',
  'phone',
  'email',
  'company',
  'title',
  'creditCode',
  'openid',
  'unionid',
  'wechatAppId',
  'deviceId',
  'externalId',
  'address',
  'regionCode',
  'notes',
  'campaignCode',
] as const

function checkMapping(mapping: ChannelMapping | undefined) {
  const errors = Object.entries(mapping ?? {})
    .filter(
      ([target, m]) =>
        !(
          (MAPPING_TARGETS as readonly string[]).includes(target) ||
          /^custom\.[a-z][a-z0-9_]{0,39}$/.test(target)
        ) ||
        (!m.path && m.value === undefined),
    )
    .map(([target]) => ({ field: `mapping.${target}`, code: 'invalid_option' }))
  if (errors.length) throw validationFailed(errors)
}

/**
 * The API key a channel pushes with: bound to the built-in `channel` role (intake only) and to the
 * channel's unit, so what it brings in lands in that unit's org. Returned once, never stored.
 */
async function issueKey(ctx: Ctx, name: string, unitId: string): Promise<{ id: string; key: string }> {
  const [role] = await ctx.db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, ctx.actor.tenantId), eq(roles.key, 'channel')))
  if (!role) throw new AppError(500, 'internal', { reason: 'channel role missing' })
  const id = newId()
  const secret = randomToken()
  const key = apiKeyValue(ctx.actor.tenantId, id, secret)
  await apiKeysRepo.insert(ctx, [
    {
      id,
      name: translate('channel_key_name', await workspaceLocale(ctx.db, ctx.actor.tenantId), { name }),
      roleId: role.id,
      unitId,
      secretHash: sha256(secret),
      hint: `${key.slice(0, 6)}…${key.slice(-4)}`,
      createdBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
    },
  ])
  return { id, key }
}

/** Creates a channel with its API key (and a form key for web forms). The key is in the answer only. */
export async function createChannel(
  ctx: Ctx,
  input: ChannelInput,
): Promise<{ channel: Channel; key: string }> {
  return afterCommit(
    inTransaction(ctx, async (tx) => {
      checkMapping(input.mapping)
      const orgId = await unitOrg(tx, input.unitId, 'unitId')
      const apiKey = await issueKey(tx, input.name, input.unitId)
      const [row] = await channelsRepo.insert(tx, [
        {
          ...input,
          orgId,
          apiKeyId: apiKey.id,
          mapping: input.mapping ?? {},
          form: input.form ?? {},
          formKey: input.kind === 'web_form' ? randomToken(18) : null,
        },
      ])
      return { channel: row as Channel, key: apiKey.key }
    }),
  )
}

export async function updateChannel(
  ctx: Ctx,
  id: string,
  patch: Partial<Omit<ChannelInput, 'kind'>> & { version?: number },
): Promise<Channel> {
  return afterCommit(
    inTransaction(ctx, async (tx) => {
      checkMapping(patch.mapping)
      const { version, ...fields } = patch
      const extra: Record<string, unknown> = {}
      if (fields.unitId) {
        extra.orgId = await unitOrg(tx, fields.unitId, 'unitId')
      }
      return (await channelsRepo.update(tx, id, { ...fields, ...extra }, version)) as Channel
    }),
  )
}

/** A new key for the channel; the old one stops working at once. */
export async function rotateChannelKey(ctx: Ctx, id: string): Promise<{ key: string }> {
  return afterCommit(
    inTransaction(ctx, async (tx) => {
      const channel = (await channelsRepo.get(tx, id, { forUpdate: true, raw: true })) as Channel
      if (channel.apiKeyId) await apiKeysRepo.update(tx, channel.apiKeyId, { revokedAt: new Date() })
      const apiKey = await issueKey(tx, channel.name, channel.unitId)
      await channelsRepo.update(tx, id, { apiKeyId: apiKey.id })
      return { key: apiKey.key }
    }),
  )
}

/** Deletes channels (to the recycle bin) and revokes their keys. */
export async function deleteChannel(ctx: Ctx, id: string): Promise<void> {
  await afterCommit(
    inTransaction(ctx, async (tx) => {
      const channel = (await channelsRepo.get(tx, id, { raw: true })) as Channel
      if (channel.apiKeyId) await apiKeysRepo.update(tx, channel.apiKeyId, { revokedAt: new Date() })
      await channelsRepo.remove(tx, [id])
    }),
  )
}

/** The channel behind the calling API key; a missing or disabled channel is a 401, like a bad key. */
export async function channelOfCaller(ctx: Ctx): Promise<Channel> {
  if (ctx.actor.type !== 'api_key' || !ctx.actor.id) throw new AppError(401, 'channel_key_required')
  const key = `${ctx.actor.tenantId}:${ctx.actor.id}`
  const now = Date.now()
  let hit = byApiKey.get(key)
  if (!hit || hit.until <= now) {
    if (byApiKey.size > 10_000) byApiKey.clear()
    const apiKeyId = ctx.actor.id
    hit = {
      until: now + CHANNEL_CACHE_MS,
      row: ctx.db
        .select()
        .from(channels)
        .where(and(eq(channels.tenantId, ctx.actor.tenantId), eq(channels.apiKeyId, apiKeyId)))
        .then(([row]) => row),
    }
    byApiKey.set(key, hit)
    hit.row.catch(() => byApiKey.delete(key))
  }
  const row = await hit.row
  if (!row?.enabled) throw new AppError(401, 'channel_disabled')
  return row
}

/**
 * The channel behind each API key, kept as long as the key's own authentication is
 * (AUTH_CACHE_MS, 2 s): every pushed lead and event asks. A change made here clears it once
 * committed; another server process sees a change within those 2 s, as it sees a revoked key.
 */
const CHANNEL_CACHE_MS = 2000
const byApiKey = new Map<string, { row: Promise<Channel | undefined>; until: number }>()
async function afterCommit<T>(change: Promise<T>): Promise<T> {
  const out = await change
  byApiKey.clear()
  return out
}
