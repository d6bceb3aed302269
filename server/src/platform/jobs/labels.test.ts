import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import '../../server.js'
import { registeredJobTypes } from './queue.js'

/** The `jobs.type` labels of one web catalogue (keys are quoted: they contain dots). */
function labelledTypes(locale: string): Set<string> {
  const text = readFileSync(new URL(`../../../../web/src/i18n/${locale}.ts`, import.meta.url), 'utf8')
  const block = text.slice(text.indexOf('    type: {', text.indexOf('  jobs: {')))
  return new Set([...block.slice(0, block.indexOf('    },')).matchAll(/'([a-z_.-]+)':/g)].map((m) => m[1]!))
}

describe('job type labels', () => {
  it('the jobs page names every job type the server runs, in each language', () => {
    const types = registeredJobTypes()
    expect(types).toContain('quality.rededupe')
    for (const locale of ['zh-CN', 'en', 'zh-TW']) {
      const labelled = labelledTypes(locale)
      expect(
        types.filter((t) => !labelled.has(t)),
        locale,
      ).toEqual([])
    }
  })
})
