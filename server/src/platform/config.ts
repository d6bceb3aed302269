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
  /**
   * Which proxies may set X-Forwarded-For (HAINA_TRUST_PROXY): off by default, because a client
   * that can set it would pick its own address and walk past the per-address rate limits.
   */
  trustProxy: boolean | number | string
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
    trustProxy: parseTrustProxy(env.HAINA_TRUST_PROXY),
    importMaxBytes: Number(env.HAINA_IMPORT_MAX_MB ?? 200) * 1024 * 1024,
    smtpUrl: env.HAINA_SMTP_URL || undefined,
    smtpFrom: env.HAINA_SMTP_FROM || 'Haina CRM <noreply@haina.local>',
    webDist: resolve(env.HAINA_WEB_DIST ?? new URL('../../../web/dist', import.meta.url).pathname),
  }
}

/** `true`, a hop count (`1`: the nearest proxy), or addresses and CIDRs (`127.0.0.1,10.0.0.0/8`). */
export function parseTrustProxy(value: string | undefined): boolean | number | string {
  const v = value?.trim() ?? ''
  if (v === '' || v === 'false') return false
  if (v === 'true') return true
  if (/^\d+$/.test(v)) return Number(v)
  return v
}
