import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ACTIONS, PERMISSION_MODULES } from './permissions.js'

/** The keys of `roles.<section>` in one web catalogue (the role editor's module and action names). */
function labelled(locale: string, section: 'modules' | 'action'): Set<string> {
  const text = readFileSync(new URL(`../../../../web/src/i18n/${locale}.ts`, import.meta.url), 'utf8')
  const block = text.slice(text.indexOf(`    ${section}: {`, text.indexOf('  roles: {')))
  return new Set([...block.slice(0, block.indexOf('    },')).matchAll(/^ {6}([a-z_]+):/gm)].map((m) => m[1]!))
}

describe('permission labels', () => {
  it('the role editor names every permission module and action, in each language', () => {
    const modules = Object.keys(PERMISSION_MODULES)
    const actions = [...new Set([...ACTIONS, ...Object.values(PERMISSION_MODULES).flat()])]
    expect(modules).toContain('segments')
    expect(actions).toContain('approve')
    for (const locale of ['zh-CN', 'en', 'zh-TW']) {
      const names = labelled(locale, 'modules')
      const verbs = labelled(locale, 'action')
      expect(
        modules.filter((m) => !names.has(m)),
        `${locale} roles.modules`,
      ).toEqual([])
      expect(
        actions.filter((a) => !verbs.has(a)),
        `${locale} roles.action`,
      ).toEqual([])
    }
  })
})
