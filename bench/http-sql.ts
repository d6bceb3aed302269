/**
 * `npm run bench -- http-sql` (PostgreSQL, after `npm run bench -- http --db postgres` has seeded
 * its database): where a scoped list page's CPU goes, per query, between the driver in Node and the
 * PostgreSQL backend. The same page is read as plain columns (the row path) and as one JSON text
 * per row (row_to_json, the JSON path; to_char for timestamps, and without it), 10 at a time on 10
 * connections. Backend CPU comes from /proc/<pid>/stat of those connections (same machine only);
 * Node's from process.cpuUsage (the pg driver only: no mapping, no HTTP).
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import pg from 'pg'

const { values } = parseArgs({
  options: { queries: { type: 'string', default: '5000' }, rounds: { type: 'string', default: '3' } },
})
const url = process.env.DATABASE_URL
if (!url) throw new Error('DATABASE_URL is required')
const u = new URL(url)
u.pathname = '/haina_bench_1000000'
const pool = new pg.Pool({ connectionString: u.toString(), max: 10 })

const clients = await Promise.all(Array.from({ length: 10 }, () => pool.connect()))
const pids: number[] = []
for (const c of clients) pids.push((await c.query('select pg_backend_pid() as p')).rows[0].p)
for (const c of clients) c.release()
/** CPU ticks (1/100 s) the pool's backends have used: utime + stime. */
const backendTicks = () =>
  pids.reduce((sum, pid) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return sum + Number(f[11]) + Number(f[12])
  }, 0)

const { rows: who } = await pool.query(
  `select u.tenant_id, u.id from users u join tenants t on t.id = u.tenant_id
   where t.slug = 'bench' and u.email = 's1@bench.test'`,
)
if (!who.length) throw new Error('run `npm run bench -- http --db postgres` first (it seeds the database)')
const params = [who[0].tenant_id, who[0].id]

const columns = `id name mobile email company title source status notes owner_id unit_id org_id custom pool_id
  category grade score assigned_at first_contact_at last_follow_up_at next_follow_up_at close_reason
  routing_note created_at updated_at version`.split(/\s+/)
const camel = (s: string) => s.replace(/_([a-z])/g, (_, x: string) => x.toUpperCase())
const iso = (c: string) => `to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const json = (value: (c: string) => string) =>
  `(select row_to_json(r)::text from (select ${columns.map((c) => `${value(c)} as "${camel(c)}"`).join(', ')}) r)`
const page = `, l.created_at::text, l.id from leads l where l.tenant_id = $1 and l.owner_id = $2
  order by l.created_at desc, l.id desc limit 21`
const statements: Record<string, string> = {
  rows: `select ${columns.map((c) => `l.${c}`).join(', ')}${page}`,
  json: `select ${json((c) => (c.endsWith('_at') ? iso(`l.${c}`) : `l.${c}`))}${page}`,
  json_without_to_char: `select ${json((c) => `l.${c}`)}${page}`,
}
const asText = { getTypeParser: () => (v: string) => v }

async function measure(name: string, n: number) {
  const t0 = backendTicks()
  const c0 = process.cpuUsage()
  let i = 0
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (i++ < n)
        await pool.query({
          name,
          text: statements[name]!,
          values: params,
          rowMode: 'array',
          types: asText,
        } as pg.QueryConfig)
    }),
  )
  const c = process.cpuUsage(c0)
  return {
    backend_us: Math.round(((backendTicks() - t0) * 10_000) / n),
    driver_us: Math.round((c.user + c.system) / n),
  }
}

const n = Number(values.queries)
for (const name of Object.keys(statements)) await measure(name, 500) // prepare and warm
for (let r = 0; r < Number(values.rounds); r++) {
  const out: Record<string, unknown> = { bench: 'http-sql', queries: n }
  for (const name of Object.keys(statements)) out[name] = await measure(name, n)
  console.log(JSON.stringify(out))
}
await pool.end()
