import { eq } from 'drizzle-orm'
import { isSupportedCountry } from 'libphonenumber-js/max'
import type { Db, Tx } from '../db/index.js'
import { tenants } from './schema.js'

/** Phone numbers written without a country code are mainland numbers unless the workspace says otherwise. */
export const DEFAULT_PHONE_REGION = 'CN'

/** An ISO 3166 alpha-2 region whose numbers libphonenumber can read (TW, HK, MO, SG, US…). */
export function isPhoneRegion(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code)
}

/**
 * The workspace's default phone region: the country a number without +/00 is read in. Read once
 * per request, batch or job (never per row), and not cached: a change applies to the next one.
 */
export async function workspacePhoneRegion(db: Db | Tx, tenantId: string): Promise<string> {
  const [ws] = await db
    .select({ phoneRegion: tenants.phoneRegion })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
  return ws?.phoneRegion ?? DEFAULT_PHONE_REGION
}
