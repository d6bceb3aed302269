import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))

export interface RunningServer {
  url: string
  stop(): Promise<void>
  output(): string
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** The real server (`node --import tsx server/src/main.ts`) on a free port with a fresh embedded database. */
export async function startServer(): Promise<RunningServer> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'haina-e2e-'))
  let log = ''
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      HAINA_DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (d) => (log += d))
  child.stderr?.on('data', (d) => (log += d))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${log}`)
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start in time:\n${log}`)
    await new Promise((r) => setTimeout(r, 300))
  }
  return {
    url,
    output: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
        if (child.exitCode === null) child.kill('SIGKILL')
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface SetupInput {
  workspaceName: string
  workspaceSlug: string
  adminName: string
  email: string
  password: string
}

/** First-run setup through the API: the workspace and its administrator. */
export async function setupWorkspace(server: RunningServer, input: SetupInput): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  })
  if (res.status >= 300) throw new Error(`setup: ${res.status} ${await res.text()}`)
}

export interface ApiSession {
  /** One JSON call under /api/v1 as the signed-in user; throws on a status ≥ 300 with the body. */
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>
}

/** Signs in through the API (session cookie + CSRF token), for what a journey arranges without clicking. */
export async function apiSession(
  server: RunningServer,
  who: { email: string; password: string },
): Promise<ApiSession> {
  const res = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: who.email, password: who.password }),
  })
  if (!res.ok) throw new Error(`login ${res.status}: ${await res.text()}`)
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const { csrfToken } = (await res.json()) as { csrfToken: string }
  return {
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const r = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: {
          cookie,
          'x-csrf-token': csrfToken,
          'accept-language': 'zh-CN',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await r.text()
      if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status}: ${text}`)
      return (text ? JSON.parse(text) : {}) as T
    },
  }
}
