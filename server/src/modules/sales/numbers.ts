import { sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { tenants } from '../../platform/tenancy/schema.js'
import { salesCounters } from './settings.schema.js'

/**
 * The next document number of a workspace: `<prefix>-<year>-<00001>`, gap-free per year in the
 * workspace's time zone. The counter row is locked until the caller's transaction ends, so two
 * concurrent documents never get the same number (and a rolled-back one leaves no gap).
 */
export async function nextNumber(ctx: Ctx, kind: 'quote' | 'order', prefix: string): Promise<string> {
  const tenant = ctx.actor.tenantId
  const year = sql`to_char(now() at time zone (select ${tenants.timezone} from ${tenants} where ${tenants.id} = ${tenant}), 'YYYY')`
  const { rows } = await ctx.db.execute<{ key: string; value: number }>(sql`
    insert into ${salesCounters} (tenant_id, key, value)
    values (${tenant}, ${kind} || ':' || ${year}, 1)
    on conflict (tenant_id, key) do update set value = ${salesCounters.value} + 1
    returning key, value`)
  const row = rows[0]!
  return `${prefix}-${row.key.split(':')[1]}-${String(row.value).padStart(5, '0')}`
}
