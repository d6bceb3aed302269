import { eq } from 'drizzle-orm'
import type { Db, Tx } from '../db/index.js'
import { LOCALES, type Locale } from '../i18n/messages.js'
import { tenants } from './schema.js'

/**
 * The workspace's language: what the server writes into shared data with no reader at hand (a job's
 * lead source, a generated key name) is in it, not in whoever happened to trigger the write.
 */
export async function workspaceLocale(db: Db | Tx, tenantId: string): Promise<Locale> {
  const [ws] = await db.select({ locale: tenants.locale }).from(tenants).where(eq(tenants.id, tenantId))
  return (LOCALES as readonly string[]).includes(ws?.locale ?? '') ? (ws!.locale as Locale) : 'zh-CN'
}
