#!/usr/bin/env node
// `npm run bench -- <name> [options]` runs bench/<name>.ts through tsx.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const [name, ...args] = process.argv.slice(2)
const file = join(root, 'bench', `${name}.ts`)
if (!name || !existsSync(file)) {
  console.error(
    `Usage: npm run bench -- <name> [options]   (benchmarks: campaigns, http, http-sql, intake, ingest, pages, pools, rededupe, sales, segments)`,
  )
  process.exit(1)
}
const tsx = pathToFileURL(createRequire(join(root, 'server', 'package.json')).resolve('tsx')).href
const child = spawn(process.execPath, ['--import', tsx, file, ...args], { cwd: root, stdio: 'inherit' })
child.on('exit', (code) => process.exit(code ?? 1))
