import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { claimJobs, enqueue, registerJob } from './queue.js'
import { jobs } from './schema.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit?.close())

describe('jobs API', () => {
  it('lists only the caller’s workspace jobs, filtered and paged', async () => {
    await enqueue(kit.a.sys, [
      { type: 'import.leads', tenantId: kit.a.tenantId },
      { type: 'import.leads', tenantId: kit.a.tenantId },
      { type: 'export.leads', tenantId: kit.a.tenantId },
    ])
    await enqueue(kit.b.sys, { type: 'import.leads', tenantId: kit.b.tenantId })
    await enqueue(kit.a.sys.db, { type: 'maintenance.x', tenantId: null })
    const all = await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/jobs' })
    expect(all.statusCode).toBe(200)
    expect(all.json().items).toHaveLength(3)
    const filter = encodeURIComponent(JSON.stringify({ type: 'import.leads', status: 'queued' }))
    const page1 = await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/jobs?limit=1&filter=${filter}` })
    expect(page1.json().items).toHaveLength(1)
    expect(page1.json().items[0]).toMatchObject({
      type: 'import.leads',
      status: 'queued',
      progress: 0,
      attempts: 0,
      maxAttempts: 5,
    })
    const page2 = await kit.req(kit.a.admin, {
      method: 'GET',
      url: `/api/v1/jobs?limit=1&filter=${filter}&cursor=${page1.json().nextCursor}`,
    })
    expect(page2.json().items).toHaveLength(1)
    expect(page2.json().items[0].id).not.toBe(page1.json().items[0].id)
    expect(page2.json().nextCursor).toBeNull()
    const bad = await kit.req(kit.a.admin, {
      method: 'GET',
      url: `/api/v1/jobs?filter=${encodeURIComponent('{"status":"nope"}')}`,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('validation_failed')
  })

  it('cancels, retries and audits; another workspace’s job is 404', async () => {
    const [job] = await enqueue(kit.a.sys, { type: 'import.leads', tenantId: kit.a.tenantId })
    expect((await kit.req(kit.b.admin, { method: 'GET', url: `/api/v1/jobs/${job!.id}` })).statusCode).toBe(
      404,
    )
    expect(
      (await kit.req(kit.b.admin, { method: 'POST', url: `/api/v1/jobs/${job!.id}/cancel` })).statusCode,
    ).toBe(404)
    const cancelled = await kit.req(kit.a.admin, { method: 'POST', url: `/api/v1/jobs/${job!.id}/cancel` })
    expect(cancelled.statusCode).toBe(200)
    expect(cancelled.json().status).toBe('cancelled')
    const again = await kit.req(kit.a.admin, {
      method: 'POST',
      url: `/api/v1/jobs/${job!.id}/cancel`,
      headers: { 'accept-language': 'en' },
    })
    expect(again.statusCode).toBe(409)
    expect(again.json().code).toBe('job_not_cancellable')
    const retried = await kit.req(kit.a.admin, { method: 'POST', url: `/api/v1/jobs/${job!.id}/retry` })
    expect(retried.json().status).toBe('queued')
    expect(
      (await kit.req(kit.a.admin, { method: 'POST', url: `/api/v1/jobs/${job!.id}/retry` })).json().code,
    ).toBe('job_not_retryable')
    const { rows } = await kit.haina.database.pool.query(
      `select action, before, after from audit_log where tenant_id = $1 and object_type = 'job' and object_id = $2 order by at, id`,
      [kit.a.tenantId, job!.id],
    )
    expect(rows.map((r) => r.action)).toEqual(['cancel', 'retry'])
    expect(rows[0].after).toMatchObject({ status: 'cancelled' })

    // a running job is asked to stop
    await kit.haina.database.db
      .update(jobs)
      .set({ runAt: new Date(0) })
      .where(eq(jobs.id, job!.id))
    registerJob({ type: 'import.leads', run: async () => null })
    const [claimed] = await claimJobs(kit.haina.database.db, 'w', 1, 60_000)
    expect(claimed!.id).toBe(job!.id)
    const asked = await kit.req(kit.a.admin, { method: 'POST', url: `/api/v1/jobs/${job!.id}/cancel` })
    expect(asked.json()).toMatchObject({ status: 'running', cancelRequested: true })
  })

  it('lists schedules with the workspace time zone and next run', async () => {
    const res = await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/schedules' })
    expect(res.statusCode).toBe(200)
    const purge = res.json().find((s: { name: string }) => s.name === 'purge-idempotency-keys')
    expect(purge).toMatchObject({ pattern: '0 7 * * * *', timezone: 'Asia/Shanghai', lastRunAt: null })
    expect(new Date(purge.nextRunAt).getTime()).toBeGreaterThan(Date.now())
    const names = res.json().map((s: { name: string }) => s.name)
    // VACUUM is scheduled on the embedded database only
    expect(names.includes('vacuum-embedded')).toBe(kit.haina.database.kind === 'embedded')
  })
})
