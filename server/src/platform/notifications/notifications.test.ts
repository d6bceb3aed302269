/**
 * The notification centre over HTTP (own notifications only, newest first, unread count, mark
 * read) and email delivery through a real SMTP server on 127.0.0.1: each notification once.
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit, type TestSession } from '../../../test/kit.js'
import { drainJobs, enqueue } from '../jobs/queue.js'
import { createUsers } from '../org/users.service.js'
import { configureEmail, sendPendingEmails } from './email.js'
import { notify } from './service.js'

let kit: Kit
let mia: TestSession
let miaId = ''

beforeAll(async () => {
  kit = await createKit()
  const [u] = await createUsers(kit.a.sys, [
    { email: 'mia@notify.test', name: 'Mia', unitId: kit.a.rootUnitId, roleIds: [] },
  ])
  miaId = u!.id
  mia = await kit.login(kit.a.tenantId, miaId)
})
afterAll(async () => {
  configureEmail({ smtpUrl: undefined, smtpFrom: '' })
  await kit.close()
})

const get = (s: TestSession, url: string) => kit.req(s, { method: 'GET', url })

describe('the notification centre', () => {
  it('shows each person their own notifications, newest first, with unread count and mark read', async () => {
    for (let i = 1; i <= 3; i++)
      await notify(kit.a.sys, [{ userId: miaId, kind: 'assigned', title: `通知${i}`, link: `/leads/x${i}` }])
    // The same dedupe key twice is one notification.
    const twice = [{ userId: miaId, kind: 'followup_due', title: '去重', dedupeKey: 'k1' }]
    expect(await notify(kit.a.sys, twice)).toBe(1)
    expect(await notify(kit.a.sys, twice)).toBe(0)
    await notify(kit.a.sys, [{ userId: kit.a.adminId, kind: 'assigned', title: '管理员的' }])

    const p1 = (await get(mia, '/api/v1/notifications?limit=2')).json()
    expect(p1.items.map((n: { title: string }) => n.title)).toEqual(['去重', '通知3'])
    const p2 = (await get(mia, `/api/v1/notifications?limit=2&cursor=${p1.nextCursor}`)).json()
    expect(p2.items.map((n: { title: string }) => n.title)).toEqual(['通知2', '通知1'])
    expect(p2.nextCursor).toBeNull()
    expect((await get(mia, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 4 })

    const read = (payload: object, s = mia) =>
      kit.req(s, { method: 'POST', url: '/api/v1/notifications/read', payload })
    // Another person's ids change nothing.
    const adminOwn = (await get(kit.a.admin, '/api/v1/notifications')).json().items[0].id
    expect((await read({ ids: [adminOwn] })).json()).toEqual({ updated: 0 })
    expect((await read({ ids: [p1.items[0].id, p1.items[1].id] })).json()).toEqual({ updated: 2 })
    expect((await get(mia, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 2 })
    const unread = (await get(mia, '/api/v1/notifications?unread=true')).json()
    expect(unread.items.map((n: { title: string }) => n.title)).toEqual(['通知2', '通知1'])
    expect((await read({ all: true })).json()).toEqual({ updated: 2 })
    expect((await get(mia, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 0 })
    expect((await get(kit.a.admin, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 1 })
    expect((await get(kit.b.admin, '/api/v1/notifications')).json().items).toEqual([])
    expect((await read({})).statusCode).toBe(400)
    expect((await kit.req(null, { method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401)
  })
})

describe('email delivery', () => {
  it('mails every new notification to its recipient once, over SMTP', async () => {
    const received: { to: string[]; raw: string }[] = []
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, done) {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          })
          done()
        })
      },
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.server.address() as AddressInfo).port
    const mail = { url: `smtp://127.0.0.1:${port}`, from: 'Haina <noreply@haina.test>' }
    const pool = kit.haina.database.pool
    try {
      // Mail is not sent for what was already there and older than a day.
      await pool.query(`update notifications set emailed_at = now() where emailed_at is null`)
      await pool.query(
        `insert into notifications (tenant_id, id, user_id, kind, title, created_at)
         values ($1, gen_random_uuid(), $2, 'assigned', '很久以前', now() - interval '3 days')`,
        [kit.a.tenantId, miaId],
      )
      await notify(kit.a.sys, [
        { userId: miaId, kind: 'followup_due', title: '跟进提醒：张三', body: '下一步：回电' },
        { userId: kit.a.adminId, kind: 'sla_missed', title: '首次联系超时：李四' },
      ])
      const first = await sendPendingEmails(kit.haina.database.db, mail)
      expect(first).toEqual({ sent: 2, failed: 0, skipped: 0 })
      expect(received.map((r) => r.to[0]).sort()).toEqual(
        ['mia@notify.test', expect.stringMatching(/^admin@/)].sort(),
      )
      const toMia = received.find((r) => r.to[0] === 'mia@notify.test')!.raw
      expect(toMia).toMatch(/^From: Haina <noreply@haina\.test>/m)
      expect(toMia).toMatch(/^Subject: =\?UTF-8\?/m)
      expect(await sendPendingEmails(kit.haina.database.db, mail)).toEqual({ sent: 0, failed: 0, skipped: 0 })
      const { rows } = await pool.query(
        `select title, emailed_at from notifications where user_id = $1 and title in ('跟进提醒：张三', '很久以前')`,
        [miaId],
      )
      expect(Object.fromEntries(rows.map((r) => [r.title, r.emailed_at !== null]))).toEqual({
        '跟进提醒：张三': true,
        很久以前: false,
      })

      // Through the job, as the scheduler runs it once SMTP is configured.
      configureEmail({ smtpUrl: mail.url, smtpFrom: mail.from })
      await notify(kit.a.sys, [{ userId: miaId, kind: 'reclaimed', title: '线索已收回' }])
      await enqueue(kit.haina.database.db, { type: 'notifications.email', tenantId: null })
      await drainJobs(kit.haina.database.db)
      expect(received).toHaveLength(3)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
    // The server is gone: the notification stays un-emailed and is tried again next time.
    await notify(kit.a.sys, [{ userId: miaId, kind: 'reclaimed', title: '稍后再发' }])
    const down = await sendPendingEmails(kit.haina.database.db, mail)
    expect(down).toMatchObject({ sent: 0, failed: 1 })
    const { rows } = await pool.query(`select emailed_at from notifications where title = '稍后再发'`)
    expect(rows[0].emailed_at).toBeNull()
  })
})
