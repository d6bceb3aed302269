import type { Values } from './args.js'
import { CliError, usageError } from './errors.js'
import { t } from './messages.js'

/** The first line of standard input (`echo "$PW" | haina … --password-stdin`). */
async function firstLineOfStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]!
}

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.setEncoding('utf8')
  stdin.resume()
  return new Promise((resolve, reject) => {
    let value = ''
    const finish = (err?: CliError) => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (err) reject(err)
      else resolve(value)
    }
    const onData = (typed: string) => {
      for (const ch of typed) {
        if (ch === '\r' || ch === '\n') return finish()
        // Raw mode turns Ctrl-C and Ctrl-D into characters: they cancel.
        if (ch === '\u0003' || ch === '\u0004') return finish(new CliError('cli_cancelled'))
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('')
        else if (ch >= ' ') value += ch
      }
    }
    stdin.on('data', onData)
  })
}

/**
 * The password for option `key` (`password`, `admin-password`): given as --key P, piped with
 * --key-stdin, or asked for twice when a person is at a terminal. Without a terminal (a script,
 * CI, `< /dev/null`) there is nobody to ask: a usage error, never a prompt that waits forever.
 */
export async function readPassword(v: Values, key: string): Promise<string> {
  if (typeof v[key] === 'string' && v[key]) return v[key] as string
  if (v[`${key}-stdin`]) {
    const line = await firstLineOfStdin()
    if (!line) throw new CliError('cli_password_empty')
    return line
  }
  const ci = !!process.env.CI && process.env.CI !== 'false'
  if (!process.stdin.isTTY || ci) throw usageError('cli_password_needed', { option: `--${key}` })
  const first = await askHidden(t('cli_password_prompt'))
  if (first !== (await askHidden(t('cli_password_again')))) throw new CliError('cli_password_mismatch')
  return first
}
