import { sql } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import type { Db } from '../db/index.js'
import { LOCALES, type Locale, registerMessages, translate } from '../i18n/messages.js'
import { registerSchedule } from '../jobs/cron.js'
import { registerJob } from '../jobs/queue.js'

/**
 * Email delivery of the notification centre: when SMTP is configured (HAINA_SMTP_URL), a job
 * mails every new notification to its recipient, once. A notification is marked emailed before it
 * is sent and unmarked when sending fails (tried again next run): a crash in between loses an email
 * rather than sending it twice.
 */
export interface MailSettings {
  url: string
  from: string
}

let settings: MailSettings | null = null
/** Called with the server's configuration when the routes are registered. */
export function configureEmail(config: { smtpUrl?: string; smtpFrom: string }): void {
  settings = config.smtpUrl ? { url: config.smtpUrl, from: config.smtpFrom } : null
}

registerMessages({
  email_footer: {
    'zh-CN': '—— 来自海纳 CRM 通知中心。登录海纳查看详情。',
    'zh-TW': '—— 來自海納 CRM 通知中心。登入海納查看詳情。',
    en: '— Haina CRM notification centre. Sign in to Haina for the details.',
  },
})

/** Older notifications are not mailed (SMTP configured later must not send a backlog). */
const MAX_AGE_HOURS = 24
const BATCH = 100
const MAX_BATCHES = 20

interface Pending {
  tenant_id: string
  id: string
  title: string
  body: string | null
  email: string
  status: string
  locale: string | null
}

/** Mails the not-yet-emailed recent notifications of every workspace; answers what happened. */
export async function sendPendingEmails(
  db: Db,
  mail: MailSettings,
): Promise<{ sent: number; failed: number; skipped: number }> {
  const result = { sent: 0, failed: 0, skipped: 0 }
  const transport = nodemailer.createTransport(mail.url)
  try {
    for (let n = 0; n < MAX_BATCHES; n++) {
      // Claimed by flipping emailed_at (a run overlapping this one skips what this one took),
      // then the recipients looked up per row (LATERAL: index probes, whatever the statistics).
      const { rows } = await db.execute<Record<string, unknown>>(sql`
        with claimed as (
          update notifications set emailed_at = now()
          where emailed_at is null and created_at > now() - make_interval(hours => ${MAX_AGE_HOURS})
            and id in (select id from notifications
              where emailed_at is null and created_at > now() - make_interval(hours => ${MAX_AGE_HOURS})
              order by created_at limit ${BATCH} for update skip locked)
          returning tenant_id, id, user_id, title, body)
        select c.tenant_id, c.id, c.title, c.body, u.email, u.status, u.locale
        from claimed c
        cross join lateral (select u.email, u.status, coalesce(u.locale, t.locale) as locale
          from users u, tenants t
          where u.tenant_id = c.tenant_id and u.id = c.user_id and t.id = c.tenant_id limit 1) u`)
      const batch = rows as unknown as Pending[]
      if (batch.length === 0) break
      const failed: Pending[] = []
      for (const p of batch) {
        if (p.status !== 'active' || !p.email) {
          result.skipped++
          continue
        }
        const locale = (LOCALES as readonly string[]).includes(p.locale ?? '')
          ? (p.locale as Locale)
          : 'zh-CN'
        try {
          await transport.sendMail({
            from: mail.from,
            to: p.email,
            subject: p.title.replace(/[\r\n]+/g, ' ').slice(0, 200),
            text: [p.title, p.body, translate('email_footer', locale)].filter(Boolean).join('\n\n'),
          })
          result.sent++
        } catch (err) {
          // A recipient the server refuses for good (5xx) is not tried again; anything else is.
          const code = (err as { responseCode?: number }).responseCode ?? 0
          if (code >= 500 && code < 600) result.failed++
          else failed.push(p)
        }
      }
      if (failed.length) {
        result.failed += failed.length
        await db.execute(sql`update notifications set emailed_at = null
          where (tenant_id, id) in (select * from jsonb_to_recordset(${JSON.stringify(
            failed.map((f) => ({ tenant_id: f.tenant_id, id: f.id })),
          )}::jsonb) as r(tenant_id uuid, id uuid))`)
        // The server is down or refuses us: the next run tries again.
        break
      }
    }
  } finally {
    transport.close()
  }
  return result
}

registerJob({
  type: 'notifications.email',
  async run(_job, tools) {
    if (!settings) return { skipped: 'smtp not configured' }
    return sendPendingEmails(tools.db, settings)
  },
})

registerSchedule({
  name: 'notifications-email',
  pattern: '20 * * * * *',
  perTenant: false,
  jobType: 'notifications.email',
  // Scheduled only where SMTP is configured: no empty job every minute otherwise.
  when: () => settings !== null,
})
