import type { Ctx } from '../../platform/access/actor.js'
import { createRepository } from '../../platform/access/data-access.js'
import { inTransaction } from '../../platform/db/tx.js'
import { AppError, type FieldError, validationFailed } from '../../platform/http/errors.js'
import { unitOrg } from '../../platform/org/units.service.js'
import { channelsRepo } from '../intake/channels.service.js'
import { type CAMPAIGN_KINDS, type CampaignStatus, campaigns } from './schema.js'

/** Campaigns are scoped like the leads they bring: by owning unit and org. */
export const campaignsRepo = createRepository({
  table: campaigns,
  objectType: 'campaign',
  scope: { owner: campaigns.ownerId, unit: campaigns.unitId, org: campaigns.orgId },
  sortable: ['createdAt', 'name', 'startsOn'],
  label: (r) => String(r.name),
})

export type Campaign = typeof campaigns.$inferSelect

export interface CampaignInput {
  name: string
  kind: (typeof CAMPAIGN_KINDS)[number]
  code: string
  channelId?: string | null
  startsOn?: string | null
  endsOn?: string | null
  budget?: number
  actualCost?: number
  status?: CampaignStatus
  ownerId?: string | null
  unitId: string
  notes?: string | null
}

/** Codes travel in links (utm_campaign=…): letters, digits and - _ . only. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/

function check(input: Partial<CampaignInput>, current?: Campaign): void {
  const errors: FieldError[] = []
  if (input.code !== undefined && !CODE.test(input.code)) errors.push({ field: 'code', code: 'invalid_code' })
  const startsOn = input.startsOn !== undefined ? input.startsOn : (current?.startsOn ?? null)
  const endsOn = input.endsOn !== undefined ? input.endsOn : (current?.endsOn ?? null)
  if (startsOn && endsOn && endsOn < startsOn) errors.push({ field: 'endsOn', code: 'ends_before_start' })
  for (const k of ['budget', 'actualCost'] as const)
    if (input[k] !== undefined && !(Number.isInteger(input[k]) && input[k]! >= 0))
      errors.push({ field: k, code: 'not_negative' })
  if (errors.length) throw validationFailed(errors)
}

/** The channel must be one the caller can see; otherwise it is a bad field, not a missing record. */
async function checkChannel(ctx: Ctx, channelId: string | null | undefined): Promise<void> {
  if (!channelId) return
  try {
    await channelsRepo.get(ctx, channelId)
  } catch (e) {
    if (e instanceof AppError && e.status === 404)
      throw validationFailed([{ field: 'channelId', code: 'invalid_option' }])
    throw e
  }
}

export async function createCampaign(ctx: Ctx, input: CampaignInput): Promise<Campaign> {
  check(input)
  return inTransaction(ctx, async (tx) => {
    await checkChannel(tx, input.channelId)
    const orgId = await unitOrg(tx, input.unitId, 'unitId')
    const [row] = await campaignsRepo.insert(tx, [{ ...input, orgId }])
    return row as Campaign
  })
}

export async function updateCampaign(
  ctx: Ctx,
  id: string,
  patch: Partial<CampaignInput> & { version?: number },
): Promise<Campaign> {
  return inTransaction(ctx, async (tx) => {
    const current = (await campaignsRepo.get(tx, id, { forUpdate: true, raw: true })) as Campaign
    check(patch, current)
    await checkChannel(tx, patch.channelId)
    const { version, ...fields } = patch
    const extra = fields.unitId ? { orgId: await unitOrg(tx, fields.unitId, 'unitId') } : {}
    return (await campaignsRepo.update(tx, id, { ...fields, ...extra }, version)) as Campaign
  })
}

export async function deleteCampaign(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await campaignsRepo.get(tx, id)
    await campaignsRepo.remove(tx, [id])
  })
}
