/** The demo workspace: every pool, the public pools and the reports have data to show. */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../test/template.js'
import type { Database } from '../platform/db/index.js'
import { seedDemo } from './seed.js'

let database: Database
let tenant: string
beforeAll(async () => {
  database = await freshDatabase()
  tenant = (await seedDemo(database.db, { seed: 11, leads: 400 })).tenantId
}, 120_000)
afterAll(() => database.close())

const count = async (query: ReturnType<typeof sql>) =>
  Number((await database.db.execute<{ n: string }>(query)).rows[0]!.n)

describe('demo workspace', () => {
  it('places leads in pools and plays back their work', async () => {
    const byKind = await database.db.execute<{ kind: string; n: string }>(
      sql`select kind, count(*)::int as n from lead_moves where tenant_id = ${tenant} group by kind`,
    )
    const kinds = Object.fromEntries(byKind.rows.map((r) => [r.kind, Number(r.n)]))
    for (const kind of ['distribute', 'assign', 'status', 'release'])
      expect(kinds[kind], kind).toBeGreaterThan(0)
    expect(
      await count(sql`select count(*) as n from lead_pools where tenant_id = ${tenant} and kind = 'public'`),
    ).toBeGreaterThan(1)
    expect(
      await count(sql`select count(*) as n from follow_ups where tenant_id = ${tenant}`),
    ).toBeGreaterThan(100)
    const statuses = await database.db.execute<{ status: string }>(
      sql`select distinct status from leads where tenant_id = ${tenant}`,
    )
    expect(statuses.rows.map((r) => r.status)).toEqual(
      expect.arrayContaining(['following', 'qualified', 'converted', 'closed']),
    )
    // The lead side of every follow-up is filled in, as the follow-up service would (first contact
    // belongs to the current owner: released and reclaimed leads start again).
    expect(
      await count(sql`select count(*) as n from leads l where l.tenant_id = ${tenant}
        and exists (select 1 from follow_ups f where f.tenant_id = l.tenant_id and f.subject_id = l.id)
        and l.last_follow_up_at is null`),
    ).toBe(0)
    expect(
      await count(
        sql`select count(*) as n from leads where tenant_id = ${tenant} and first_contact_at is not null`,
      ),
    ).toBeGreaterThan(50)
  })
})
