import { resolve } from 'node:path'

/** Runtime configuration, read once from the environment. */
export interface Config {
  port: number
  host: string
  /** postgres://… when set; otherwise the embedded PGlite database in `dataDir`. */
  databaseUrl: string | undefined
  dataDir: string
  logLevel: string
  /** Serve cookies with the Secure flag (behind HTTPS). */
  secureCookies: boolean
  /** Run the job worker and cron scheduler in this process. */
  workers: boolean
  bodyLimitBytes: number
  /** Largest import file accepted (HAINA_IMPORT_MAX_MB, default 200 MB). */
  importMaxBytes: number
  /** smtp(s)://user:pass@host:port for notification emails (HAINA_SMTP_URL); unset: no emails. */
  smtpUrl: string | undefined
  /** Sender of notification emails (HAINA_SMTP_FROM). */
  smtpFrom: string
  webDist: string
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.HAINA_DATA_DIR ?? 'data'),
    logLevel: env.LOG_LEVEL ?? (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    secureCookies: env.HAINA_SECURE_COOKIES === 'true',
    workers: env.HAINA_WORKERS !== 'false',
    bodyLimitBytes: Number(env.HAINA_BODY_LIMIT ?? 1024 * 1024),
    importMaxBytes: Number(env.HAINA_IMPORT_MAX_MB ?? 200) * 1024 * 1024,
    smtpUrl: env.HAINA_SMTP_URL || undefined,
    smtpFrom: env.HAINA_SMTP_FROM || 'Haina CRM <noreply@haina.local>',
    webDist: resolve(env.HAINA_WEB_DIST ?? new URL('../../../web/dist', import.meta.url).pathname),
  }
}
