import { eq } from 'drizzle-orm'
import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../test/template.js'
import { buildHaina } from '../../server.js'
import { systemActor } from '../access/actor.js'
import { loadConfig } from '../config.js'
import { publish, registerConsumer } from '../events/outbox.js'
import { outbox } from '../events/schema.js'
import { enqueue, registerJob } from './queue.js'
import { jobs } from './schema.js'

const waitFor = async (check: () => Promise<boolean>, ms = 10_000) => {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('workers in the server process', () => {
  it('run jobs and deliver events when config.workers is on, and close() waits for in-flight jobs', async () => {
    const database = await freshDatabase()
    try {
      const haina = await buildHaina(
        { ...loadConfig({ NODE_ENV: 'test' }), workers: true, webDist: '/nonexistent' },
        database,
      )
      const db = database.db
      const delivered: string[] = []
      registerConsumer({
        name: 'test.workers',
        eventTypes: ['test.ping'],
        handle: async (_c, e) => void delivered.push(e.id),
      })
      let finished = false
      registerJob({
        type: 'test.slow',
        run: async (_job, tools) => {
          await tools.progress(50, 'half way')
          await new Promise((r) => setTimeout(r, 400))
          finished = true
          return { ok: 1 }
        },
      })
      const tenantId = uuidv7()
      const [eventId] = await publish({ db, actor: systemActor(tenantId, []), locale: 'zh-CN' }, [
        { type: 'test.ping', payload: {} },
      ])
      await waitFor(async () => delivered.length === 1)
      const [job] = await enqueue(db, { type: 'test.slow', tenantId })
      await waitFor(
        async () => (await db.select().from(jobs).where(eq(jobs.id, job!.id)))[0]!.progress === 50,
      )
      expect(finished).toBe(false)
      await haina.close()
      expect(finished).toBe(true)
      const [row] = await db.select().from(jobs).where(eq(jobs.id, job!.id))
      expect(row).toMatchObject({ status: 'succeeded', progress: 100, result: { ok: 1 }, lockedBy: null })
      expect(delivered).toEqual([eventId])
      const [ev] = await db.select().from(outbox).where(eq(outbox.id, eventId!))
      expect(ev!.dispatchedAt).not.toBeNull()
    } finally {
      await database.close()
    }
  })
})
