import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import iconv from 'iconv-lite'
import * as tar from 'tar'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureTemplate, freshDatabase, templateTarball } from '../../test/template.js'
import { type Database, openDatabase } from '../platform/db/index.js'
import { cliLocale } from './messages.js'

// The CLI as operators run it: a child process, its output and exit status, stdin at /dev/null
// unless a test pipes something in. Each engine: a migrated data directory, or a fresh database.
const root = fileURLToPath(new URL('../../../', import.meta.url))
const pgUrl = process.env.DATABASE_URL
const dir = mkdtempSync(join(tmpdir(), 'haina-cli-'))
const dataDir = join(dir, 'data')
let pgDatabase: Database | undefined
let databaseUrl = ''

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

function haina(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli/main.ts', ...args], {
    cwd: root,
    env: {
      ...process.env,
      LANG: 'C',
      LC_ALL: '',
      LC_MESSAGES: '',
      CI: '',
      LOG_LEVEL: 'silent',
      HAINA_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      HAINA_CALLER_CWD: dir,
      ...opts.env,
    },
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (opts.input !== undefined) child.stdin!.end(opts.input)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (d) => (stdout += d))
  child.stderr!.on('data', (d) => (stderr += d))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

/** An expected failure: its exit status, one clear line on stderr, no stack trace. */
function expectFailure(run: Run, code: number, text: string | RegExp) {
  expect(run.code, run.stderr).toBe(code)
  expect(run.stderr).toMatch(text)
  expect(run.stderr).not.toMatch(/\n\s+at /)
}

const PASSWORD = 'Passw0rd!2026'
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

beforeAll(async () => {
  if (pgUrl) {
    pgDatabase = await freshDatabase(pgUrl)
    databaseUrl = pgDatabase.url
  } else {
    await ensureTemplate(undefined)
    const d = await openDatabase({ dataDir, loadFrom: templateTarball() })
    await d.close()
  }
  const ws = await haina(
    [
      'workspace',
      'add',
      '--name',
      'Acme',
      '--slug',
      'acme',
      '--admin-email',
      'admin@acme.cn',
      '--admin-password-stdin',
    ],
    { input: `${PASSWORD}\n` },
  )
  expect(ws.code, ws.stderr).toBe(0)
}, 120_000)

afterAll(async () => {
  await pgDatabase?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('haina CLI', () => {
  it('answers wrong usage with exit status 2 and a localized line, help with 0', async () => {
    expectFailure(await haina(['bogus']), 2, 'Unknown command "bogus"')
    expectFailure(await haina(['user']), 2, 'user add, user reset-password')
    expectFailure(await haina(['migrate', '--bogus']), 2, 'Unknown option --bogus')
    expectFailure(await haina(['demo', '--leads']), 2, '--leads needs a value')
    expectFailure(await haina(['demo', '--seed', 'abc']), 2, '--seed must be a whole number')
    expectFailure(
      await haina(['import', 'a.csv', 'b.csv', '--workspace', 'acme']),
      2,
      'Unexpected argument "b.csv"',
    )
    const help = await haina(['user', 'add', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--password-stdin')
    const zh = await haina(['bogus'], { env: { LANG: 'zh_CN.UTF-8' } })
    expectFailure(zh, 2, '错误：未知命令“bogus”')
    expect(cliLocale({ LANG: 'zh_TW.UTF-8' })).toBe('zh-TW')
    expect(cliLocale({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_CN.UTF-8' })).toBe('zh-CN')
    expect(cliLocale({ LANG: 'C' })).toBe('en')
  }, 60_000)

  it('adds users with checked input, never prompting without a terminal', async () => {
    // No --password and no terminal: a usage error at once, not a prompt waiting forever.
    const user = ['user', 'add', '--workspace', 'acme', '--email', 'li@acme.cn', '--name', '李雷']
    expectFailure(await haina(user), 2, '--password is required')
    expectFailure(
      await haina([...user, '--password-stdin'], { input: '' }),
      1,
      'read from standard input is empty',
    )
    expectFailure(
      await haina([...user, '--password', PASSWORD, '--role', 'nope']),
      1,
      /No role "nope".*salesperson/,
    )
    expectFailure(
      await haina([...user, '--password', PASSWORD, '--workspace', 'nope']),
      1,
      'No workspace with slug "nope"',
    )
    const bad = [
      'user',
      'add',
      '--workspace',
      'acme',
      '--email',
      'not-an-email',
      '--name',
      'X',
      '--password',
      PASSWORD,
    ]
    expectFailure(await haina(bad), 1, '--email: Not a valid email address')

    const added = await haina([...user, '--password-stdin'], { input: `${PASSWORD}\nignored\n` })
    expect(added.code, added.stderr).toBe(0)
    expect(added.stdout).toContain('User li@acme.cn added with role salesperson')
    expectFailure(await haina([...user, '--password', PASSWORD]), 1, /--email: Already used/)

    const reset = ['user', 'reset-password', '--workspace', 'acme']
    expectFailure(
      await haina([...reset, '--email', 'not-an-email', '--password', PASSWORD]),
      1,
      'No user with email',
    )
    const done = await haina([...reset, '--email', 'LI@acme.cn', '--password-stdin'], {
      input: 'N3w-passw0rd\n',
    })
    expect(done.code, done.stderr).toBe(0)
  }, 120_000)

  it('adds a workspace with its phone region and time zone, checking both before anything is written', async () => {
    const add = (...more: string[]) =>
      haina([
        'workspace',
        'add',
        '--name',
        '台北分公司',
        '--slug',
        'taipei',
        '--admin-email',
        'admin@taipei.tw',
        '--admin-password',
        PASSWORD,
        ...more,
      ])
    expectFailure(
      await add('--phone-region', 'XX'),
      2,
      '--phone-region: "XX" is not a region whose phone numbers can be read',
    )
    expectFailure(
      await add('--timezone', 'Mars/Olympus'),
      2,
      '--timezone: "Mars/Olympus" is not a time zone name',
    )
    const zh = await haina(
      ['workspace', 'add', '--name', 'X', '--slug', 'x', '--admin-email', 'a@x.cn', '--timezone', 'Nowhere'],
      {
        env: { LANG: 'zh_TW.UTF-8' },
      },
    )
    expectFailure(zh, 2, '錯誤：--timezone 無效：「Nowhere」不是時區名稱')
    const help = await haina(['workspace', 'add', '--help'], { env: { LANG: 'zh_CN.UTF-8' } })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('[--phone-region R] [--timezone TZ]')
    expect(help.stdout).toContain('不带国家码的号码按此地区识别')

    // Codes in either case; stored as the region code and the time zone's own name.
    const ok = await add('--phone-region', 'tw', '--timezone', 'asia/taipei')
    expect(ok.code, ok.stderr).toBe(0)
    const db = pgDatabase ?? (await openDatabase({ dataDir }))
    try {
      const { rows } = await db.pool.query(
        `select slug, phone_region, timezone from tenants where slug in ('acme', 'taipei', 'x') order by slug`,
      )
      expect(rows).toEqual([
        { slug: 'acme', phone_region: 'CN', timezone: 'Asia/Shanghai' },
        { slug: 'taipei', phone_region: 'TW', timezone: 'Asia/Taipei' },
      ])
    } finally {
      if (!pgDatabase) await db.close()
    }
  }, 180_000)

  it('imports a GBK CSV from the caller’s directory; a file it cannot take leaves nothing behind', async () => {
    mkdirSync(join(dir, 'files', 'folder'), { recursive: true })
    writeFileSync(
      join(dir, 'files', 'leads.csv'),
      iconv.encode('姓名,手机,公司\n张三,13800138000,海纳科技\n李四,13900139000,北京公司\n', 'gbk'),
    )
    writeFileSync(join(dir, 'files', 'unknown.csv'), 'foo,bar\n1,2\n')
    writeFileSync(join(dir, 'files', 'broken.csv'), 'name,mobile\n"broken,13800138001\nok,13800138002\n')
    const imp = (file: string) => haina(['import', file, '--workspace', 'acme'])
    expectFailure(await imp('files/missing.csv'), 1, `No such file: ${join(dir, 'files', 'missing.csv')}`)
    expectFailure(await imp('files/folder'), 1, 'is a directory, not a file')
    expectFailure(await imp('files/unknown.csv'), 1, 'None of the columns (foo, bar) was recognised')
    expectFailure(await imp('files/broken.csv'), 1, 'Malformed CSV near row 2')
    expectFailure(
      await haina(['import', 'files/leads.csv', '--workspace', 'acme', '--mapping', 'nope']),
      1,
      'No saved mapping',
    )

    const ok = await imp('files/leads.csv')
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.stdout).toMatch(/completed: 2 rows — created 2, merged 0/)
    // Only the import that went through was stored.
    const counts = await haina(['import', 'files/leads.csv', '--workspace', 'acme'], {
      env: { LANG: 'zh_CN.UTF-8' },
    })
    expect(counts.stdout).toMatch(/已完成：2 行 —— 新建 0，合并 2/)
    const db = pgDatabase ?? (await openDatabase({ dataDir }))
    try {
      const { rows } = await db.pool.query('select status, count(*)::int as n from imports group by status')
      expect(rows).toEqual([{ status: 'completed', n: 2 }])
      const { rows: files } = await db.pool.query(
        'select count(distinct import_id)::int as n from import_files',
      )
      expect(files[0].n).toBe(2)
    } finally {
      if (!pgDatabase) await db.close()
    }
  }, 180_000)

  it('names an unreachable database without its password and without a stack trace', async () => {
    const run = await haina(['migrate'], {
      env: { DATABASE_URL: 'postgres://haina:s3cret@127.0.0.1:1/haina' },
    })
    expectFailure(
      run,
      1,
      'Cannot use the database postgres://haina:***@127.0.0.1:1/haina: connect ECONNREFUSED',
    )
    expect(run.stderr).not.toContain('s3cret')
  }, 60_000)

  it('fails clearly when the port is taken, and lets go of the database', async () => {
    const port = await freePort()
    const taken = createServer().listen(port, '0.0.0.0')
    await new Promise((r) => taken.once('listening', r))
    try {
      expectFailure(await haina(['serve'], { env: { PORT: String(port) } }), 1, `Port ${port} is in use`)
    } finally {
      taken.close()
    }
    if (!pgUrl) expect(existsSync(join(dataDir, 'haina.lock'))).toBe(false)
    const again = await haina(['migrate'])
    expect(again.code, again.stderr).toBe(0)
  }, 120_000)
})

describe.skipIf(!!pgUrl)('haina CLI on the embedded database', () => {
  it('refuses a second process on the data directory, naming the lock file and its holder', async () => {
    const holder = await openDatabase({ dataDir })
    try {
      const run = await haina(['migrate'])
      expectFailure(
        run,
        1,
        `in use by another Haina process (pid ${process.pid}; lock file ${join(dataDir, 'haina.lock')})`,
      )
    } finally {
      await holder.close()
    }
  }, 60_000)

  it('backs up without replacing a file, and restores only a good backup into an empty directory', async () => {
    const backup = (out: string, ...more: string[]) => haina(['backup', '--out', out, ...more])
    // A follow-up attachment: a file beside the database, which the backup must carry too.
    mkdirSync(join(dataDir, 'attachments', 'ws'), { recursive: true })
    writeFileSync(join(dataDir, 'attachments', 'ws', 'a1'), '报价单 v2')
    expectFailure(await backup('nowhere/b.tar'), 1, `The directory ${join(dir, 'nowhere')} does not exist`)
    const made = await backup('b.tar')
    expect(made.code, made.stderr).toBe(0)
    expect(made.stdout).toContain(`Backup written to ${join(dir, 'b.tar')}`)
    expectFailure(await backup('b.tar'), 1, 'exists already: choose another --out, or add --force')
    expect((await backup('b.tar', '--force')).code).toBe(0)
    expect(readdirSync(dir).filter((f) => f.includes('partial'))).toEqual([])

    const restore = (target: string, from: string) =>
      haina(['restore', '--from', from], { env: { HAINA_DATA_DIR: join(dir, target) } })
    writeFileSync(join(dir, 'corrupt.tar'), Buffer.alloc(4096, 7))
    expectFailure(
      await restore('r1', 'corrupt.tar'),
      1,
      'could not be restored (not a Haina backup, or damaged)',
    )
    // Nothing half-restored: the directory is as it was, and a good backup goes in afterwards.
    expect(readdirSync(join(dir, 'r1'))).toEqual([])
    const restored = await restore('r1', 'b.tar')
    expect(restored.code, restored.stderr).toBe(0)
    expect(readFileSync(join(dir, 'r1', 'attachments', 'ws', 'a1'), 'utf8')).toBe('报价单 v2')
    expect(readdirSync(join(dir, 'r1')).filter((f) => f.startsWith('restoring'))).toEqual([])
    // A backup from before attachments were included (PGlite's dump alone) still restores.
    await tar.x({ file: join(dir, 'b.tar'), cwd: dir, filter: (p) => p === 'database.tar' })
    const legacy = await restore('r2', 'database.tar')
    expect(legacy.code, legacy.stderr).toBe(0)
    expectFailure(await restore('r1', 'b.tar'), 1, 'already holds a database')
    const login = await haina(
      ['user', 'reset-password', '--workspace', 'acme', '--email', 'admin@acme.cn', '--password', PASSWORD],
      {
        env: { HAINA_DATA_DIR: join(dir, 'r1') },
      },
    )
    expect(login.code, login.stderr).toBe(0)
  }, 180_000)
})

describe.skipIf(!pgUrl)('haina CLI on PostgreSQL', () => {
  it('points backup and restore to pg_dump and pg_restore', async () => {
    expectFailure(await haina(['backup']), 1, 'pg_dump -Fc')
    expectFailure(await haina(['restore', '--from', 'x.dump']), 1, 'pg_restore')
  }, 60_000)
})
