// Writes web/openapi.json from the running app's OpenAPI document and generates the web client's
// types (web/src/api/schema.d.ts) from it, so the web app cannot drift from the API.
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../src/platform/config.js'
import { openDatabase } from '../src/platform/db/index.js'
import { buildHaina } from '../src/server.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const database = await openDatabase({})
const haina = await buildHaina(
  { ...loadConfig({ NODE_ENV: 'test' }), workers: false, webDist: '/nonexistent' },
  database,
)
const spec = haina.app.swagger()
await haina.close()
await database.close()
writeFileSync(`${root}web/openapi.json`, `${JSON.stringify(spec, null, 2)}\n`)
execFileSync(
  process.execPath,
  [
    `${root}node_modules/openapi-typescript/bin/cli.js`,
    `${root}web/openapi.json`,
    '-o',
    `${root}web/src/api/schema.d.ts`,
  ],
  { stdio: 'inherit' },
)
