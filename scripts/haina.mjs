#!/usr/bin/env node
// The `haina` command: runs the TypeScript CLI through tsx (no server build step). For `serve`
// and `demo --serve` it first builds the web app when web/dist is missing or older than web/src.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const args = process.argv.slice(2)

function newest(dir) {
  let t = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}

function buildWebIfStale() {
  const src = join(root, 'web', 'src')
  const index = join(root, 'web', 'dist', 'index.html')
  if (!existsSync(src)) return
  if (existsSync(index) && statSync(index).mtimeMs >= newest(src)) return
  console.log('Building the web app (first start or changed sources)…')
  const res = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '-w', 'web'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (res.status !== 0) process.exit(res.status ?? 1)
}

const asksHelp = args.includes('--help') || args.includes('-h')
if (!asksHelp && (args[0] === 'serve' || (args[0] === 'demo' && args.includes('--serve')))) buildWebIfStale()

// The CLI runs in the repository (so the default ./data stays there); paths on the command line
// (import FILE, backup --out, restore --from) are relative to where the operator ran it, which
// `npm run haina` reports as INIT_CWD.
const callerCwd = process.cwd() === root && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd()

const require = createRequire(join(root, 'server', 'package.json'))
const tsx = pathToFileURL(require.resolve('tsx')).href
const child = spawn(
  process.execPath,
  ['--import', tsx, join(root, 'server', 'src', 'cli', 'main.ts'), ...args],
  { cwd: root, stdio: 'inherit', env: { ...process.env, HAINA_CALLER_CWD: callerCwd } },
)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig))
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)))
