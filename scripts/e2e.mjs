#!/usr/bin/env node
// `npm run test:e2e`: builds the web app when its sources are newer than web/dist, then runs the
// browser journeys (e2e/*.test.ts) — each starts the real server on a free port with a fresh
// embedded database and drives Debian's chromium through playwright-core.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../', import.meta.url))
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
if (!existsSync(chromium)) {
  console.error(
    `chromium not found at ${chromium}: apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH)`,
  )
  process.exit(1)
}

const newest = (dir) => {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }
  return t
}
const dist = join(root, 'web/dist/index.html')
const srcTime = Math.max(newest(join(root, 'web/src')), statSync(join(root, 'web/index.html')).mtimeMs)
if (!existsSync(dist) || statSync(dist).mtimeMs < srcTime) {
  console.log('building web/dist …')
  const b = spawnSync('npm', ['run', 'build', '-w', 'web'], { cwd: root, stdio: 'inherit' })
  if (b.status !== 0) process.exit(b.status ?? 1)
}

const r = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    '--config',
    join(root, 'e2e/vitest.config.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit' },
)
process.exit(r.status ?? 1)
