import { spawn } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../../test/template.js'
import { systemActor } from '../../../platform/access/actor.js'
import { ALL_PERMISSIONS } from '../../../platform/access/permissions.js'
import type { Database } from '../../../platform/db/index.js'
import { drainJobs } from '../../../platform/jobs/queue.js'
import { createWorkspace } from '../../../platform/tenancy/service.js'
import './import.job.js'
import { createImport, startImport } from './import.service.js'

const fixture = fileURLToPath(new URL('../../../../test/fixtures/import-process.ts', import.meta.url))
let database: Database | undefined
afterAll(() => database?.close())

const ROWS = 1200
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe.skipIf(!process.env.DATABASE_URL)('import killed with kill -9', () => {
  it('resumes after restart with nothing lost and nothing doubled', async () => {
    database = await freshDatabase()
    const db = database.db
    const ws = await createWorkspace(db, {
      name: 'Resume',
      slug: `resume-${process.pid}`,
      admin: { name: 'Admin', email: 'admin@resume.test', password: 'Passw0rd!2026' },
    })
    const ctx = {
      db,
      actor: { ...systemActor(ws.tenant.id, ALL_PERMISSIONS), unitId: ws.rootUnit.id },
      locale: 'zh-CN' as const,
    }
    const lines = ['姓名,手机号']
    for (let i = 0; i < ROWS; i++) lines.push(`客户${i},1390000${String(i).padStart(4, '0')}`)
    // Every tenth row repeats an earlier person: merges must not double either.
    for (let i = 0; i < ROWS / 10; i++) lines.push(`客户${i},+86 1390000${String(i).padStart(4, '0')}`)
    const path = join(tmpdir(), `resume-${process.pid}.csv`)
    writeFileSync(path, lines.join('\n'))
    const made = await createImport(
      ctx,
      { path, fileName: 'resume.csv', size: statSync(path).size },
      { maxBytes: 1e9 },
    )
    await startImport(ctx, made.import.id, { mapping: { 0: 'name', 1: 'mobile' } })

    const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
      env: { ...process.env, DATABASE_URL: database.url, HAINA_IMPORT_BATCH: '100' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
    // Kill it hard once some batches, but not all, are committed.
    for (let i = 0; i < 600; i++) {
      const { rows } = await database.pool.query('select checkpoint_row from imports where id = $1', [
        made.import.id,
      ])
      if (rows[0].checkpoint_row >= 301) break
      await sleep(50)
    }
    child.kill('SIGKILL')
    await exited
    const { rows: mid } = await database.pool.query(
      'select checkpoint_row, status from imports where id = $1',
      [made.import.id],
    )
    expect(mid[0].checkpoint_row).toBeGreaterThan(1)
    expect(mid[0].checkpoint_row).toBeLessThan(ROWS + ROWS / 10 + 1)

    await sleep(1600) // the killed worker's lease runs out
    process.env.HAINA_IMPORT_BATCH = '100'
    try {
      await drainJobs(db)
    } finally {
      delete process.env.HAINA_IMPORT_BATCH
    }
    const { rows } = await database.pool.query(
      `select i.status, i.counts,
         (select count(*)::int from leads where import_id = i.id) as leads,
         (select count(*)::int from lead_intents where import_id = i.id) as intents
       from imports i where i.id = $1`,
      [made.import.id],
    )
    expect(rows[0].status).toBe('completed')
    expect(rows[0].counts).toMatchObject({ rows: ROWS + ROWS / 10, created: ROWS, merged: ROWS / 10 })
    expect(rows[0].leads).toBe(ROWS)
    expect(rows[0].intents).toBe(ROWS + ROWS / 10)
  }, 60_000)
})
