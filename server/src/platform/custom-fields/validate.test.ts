import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { leadsRepo } from '../../modules/leads/service.js'
import type { Ctx } from '../access/actor.js'
import { repositoryFor } from '../access/data-access.js'
import { recycleBin } from '../audit/schema.js'
import { inTransaction } from '../db/tx.js'
import { AppError } from '../http/errors.js'
import { type Locale, translate } from '../i18n/messages.js'
import { createDefinition, deleteDefinition, updateDefinition } from './definitions.service.js'
import { customMasker, maskCustomValues, validateCustomValues } from './validate.service.js'

let kit: Kit
let sys: Ctx
const options = (...vs: string[]) => vs.map((v) => ({ value: v, label: v.toUpperCase() }))

/** The field errors of a rejected validation as 'field:code'. */
async function rejects(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('validation_failed')
    return err as AppError
  }
  throw new Error('expected validation_failed')
}
const codes = (e: AppError) => Object.fromEntries(e.fields.map((f) => [f.field, f.code]))

async function insertLead(ctx: Ctx, name: string, custom: Record<string, unknown>) {
  const unit = ctx === sys ? kit.a.rootUnitId : kit.b.rootUnitId
  const [row] = await leadsRepo.insert(ctx, [{ name, unitId: unit, orgId: unit, custom }])
  return row!
}

beforeAll(async () => {
  kit = await createKit()
  sys = kit.a.sys
  const defs: Parameters<typeof createDefinition>[1][] = [
    { object: 'lead', key: 'nickname', label: '昵称', type: 'text', validation: { maxLength: 8 } },
    {
      object: 'lead',
      key: 'code',
      label: '编号',
      type: 'text',
      unique: true,
      validation: { pattern: '^[A-Z]{2}\\d{3}$' },
    },
    { object: 'lead', key: 'memo', label: '备注', type: 'long_text' },
    { object: 'lead', key: 'rating', label: '评分', type: 'number', validation: { min: 0, max: 10 } },
    { object: 'lead', key: 'budget', label: '预算', type: 'money', required: true },
    { object: 'lead', key: 'visit_on', label: '到访日期', type: 'date' },
    { object: 'lead', key: 'called_at', label: '来电时间', type: 'datetime' },
    { object: 'lead', key: 'vip', label: 'VIP', type: 'boolean', defaultValue: false },
    {
      object: 'lead',
      key: 'level',
      label: '等级',
      type: 'single_select',
      options: options('a', 'b'),
      defaultValue: 'b',
    },
    { object: 'lead', key: 'tags', label: '标签', type: 'multi_select', options: options('x', 'y', 'z') },
    { object: 'lead', key: 'backup_phone', label: '备用电话', type: 'phone' },
    { object: 'lead', key: 'work_email', label: '工作邮箱', type: 'email', unique: true },
    { object: 'lead', key: 'site', label: '网站', type: 'url' },
    { object: 'lead', key: 'area', label: '地区', type: 'region' },
    { object: 'lead', key: 'referrer', label: '推荐人', type: 'user' },
  ]
  for (const d of defs) await createDefinition(sys, d)
})
afterAll(() => kit?.close())

describe('validateCustomValues', () => {
  it('normalises good values of every type and applies defaults on create', async () => {
    const out = await validateCustomValues(sys, 'lead', {
      nickname: ' 小王 ',
      code: 'AB123',
      memo: '第一行\n第二行',
      rating: '7.5',
      budget: 1999900,
      visit_on: '2026-03-08',
      called_at: '2026-03-08T09:15:00+08:00',
      tags: ['z', 'x'],
      backup_phone: '138-0013-8000',
      work_email: 'Wang@Example.com',
      site: 'haina.dev',
      area: { province: '44', city: '4403', district: '440305' },
      referrer: kit.a.adminId,
    })
    expect(out).toEqual({
      nickname: '小王',
      code: 'AB123',
      memo: '第一行\n第二行',
      rating: 7.5,
      budget: 1999900,
      visit_on: '2026-03-08',
      called_at: '2026-03-08T01:15:00.000Z',
      vip: false,
      level: 'b',
      tags: ['x', 'z'],
      backup_phone: '+8613800138000',
      work_email: 'wang@example.com',
      site: 'https://haina.dev',
      area: { province: '44', city: '4403', district: '440305' },
      referrer: kit.a.adminId,
    })
  })

  it('names every bad field at once, with localized messages', async () => {
    const err = await rejects(
      validateCustomValues(sys, 'lead', {
        nickname: '一二三四五六七八九',
        code: 'ab1',
        rating: 11,
        budget: 12.5,
        visit_on: '2026-02-30',
        called_at: '2026-03-08 09:15',
        vip: 'maybe',
        level: 'c',
        tags: ['x', 'q'],
        backup_phone: '12345',
        work_email: 'wang@',
        site: 'javascript:alert(1)',
        area: { province: '44', city: '1101' },
        referrer: kit.b.adminId,
        unknown_key: 1,
      }),
    )
    expect(codes(err)).toEqual({
      'custom.nickname': 'too_long',
      'custom.code': 'pattern_mismatch',
      'custom.rating': 'too_big',
      'custom.budget': 'not_integer',
      'custom.visit_on': 'invalid_date',
      'custom.called_at': 'invalid_datetime',
      'custom.vip': 'invalid_boolean',
      'custom.level': 'invalid_option',
      'custom.tags': 'invalid_option',
      'custom.backup_phone': 'invalid_phone',
      'custom.work_email': 'invalid_email',
      'custom.site': 'invalid_url',
      'custom.area': 'invalid_region',
      // Another workspace's user is simply unknown here.
      'custom.referrer': 'invalid_user',
      'custom.unknown_key': 'unknown_field',
    })
    const msg = (field: string, locale: Locale) => {
      const f = err.fields.find((x) => x.field === field)!
      return translate(f.code, locale, f.params)
    }
    expect(msg('custom.nickname', 'zh-CN')).toBe('长度不能超过 8')
    expect(msg('custom.nickname', 'en')).toBe('At most 8 characters')
    expect(msg('custom.rating', 'zh-CN')).toBe('不能大于 10')
    expect(msg('custom.budget', 'zh-CN')).toBe('金额须为整数（以分为单位）')
    expect(msg('custom.budget', 'en')).toBe('Must be a whole number of fen (minor units)')
    expect(msg('custom.area', 'zh-CN')).toBe('省市区不存在')
    expect(msg('custom.referrer', 'en')).toBe('Unknown user')
    expect(msg('custom.called_at', 'zh-TW')).toContain('日期時間')
  })

  it('rejects a custom value that is not an object', async () => {
    expect(codes(await rejects(validateCustomValues(sys, 'lead', ['x'])))).toEqual({ custom: 'invalid_type' })
  })

  it('enforces required on create and when an update clears it, not on unrelated updates', async () => {
    expect(codes(await rejects(validateCustomValues(sys, 'lead', {})))).toEqual({
      'custom.budget': 'required',
    })
    expect(codes(await rejects(validateCustomValues(sys, 'lead', { budget: null })))).toEqual({
      'custom.budget': 'required',
    })
    const existing = { budget: 100, level: 'a' }
    // Defaults are for new records only; other values are kept; empty input clears.
    expect(await validateCustomValues(sys, 'lead', { nickname: '李' }, { existing })).toEqual({
      budget: 100,
      level: 'a',
      nickname: '李',
    })
    expect(await validateCustomValues(sys, 'lead', { level: '' }, { existing })).toEqual({ budget: 100 })
    expect(codes(await rejects(validateCustomValues(sys, 'lead', { budget: '' }, { existing })))).toEqual({
      'custom.budget': 'required',
    })
    // An explicit value wins over the default.
    expect((await validateCustomValues(sys, 'lead', { budget: 1, level: 'a', vip: true })).level).toBe('a')
  })

  it('checks uniqueness within the tenant, excluding the record itself', async () => {
    const first = await insertLead(
      sys,
      '张三',
      await validateCustomValues(sys, 'lead', { budget: 1, code: 'ZS001', work_email: 'zs@corp.cn' }),
    )
    expect(
      codes(
        await rejects(
          validateCustomValues(sys, 'lead', { budget: 1, code: 'ZS001', work_email: 'ZS@corp.cn' }),
        ),
      ),
    ).toEqual({
      'custom.code': 'not_unique',
      'custom.work_email': 'not_unique',
    })
    // Saving the record with its own values is fine.
    const again = await validateCustomValues(
      sys,
      'lead',
      { code: 'ZS001' },
      { existing: first.custom as Record<string, unknown>, recordId: first.id as string },
    )
    expect(again.code).toBe('ZS001')
    const viaExisting = await validateCustomValues(
      sys,
      'lead',
      { work_email: 'zs@corp.cn', code: 'ZS001' },
      { existing: {}, recordId: first.id as string },
    )
    expect(viaExisting.code).toBe('ZS001')
    // Inside a transaction (advisory lock path) too.
    await inTransaction(sys, async (tx) => {
      expect(codes(await rejects(validateCustomValues(tx, 'lead', { budget: 1, code: 'ZS001' })))).toEqual({
        'custom.code': 'not_unique',
      })
    })
    // Another workspace may use the same value.
    await createDefinition(kit.b.sys, {
      object: 'lead',
      key: 'code',
      label: '编号',
      type: 'text',
      unique: true,
    })
    expect(await validateCustomValues(kit.b.sys, 'lead', { code: 'ZS001' })).toEqual({ code: 'ZS001' })
  })

  it('refuses to make a field unique while records share a value', async () => {
    const f = await createDefinition(sys, { object: 'lead', key: 'wechat', label: '微信', type: 'text' })
    await insertLead(sys, 'w1', { budget: 1, wechat: 'same' })
    await insertLead(sys, 'w2', { budget: 1, wechat: 'same' })
    expect(codes(await rejects(updateDefinition(sys, f.id, { unique: true, version: f.version })))).toEqual({
      unique: 'values_not_unique',
    })
  })

  it('uses a field as soon as it is created and stops when it is deleted', async () => {
    expect(codes(await rejects(validateCustomValues(sys, 'lead', { budget: 1, shoe_size: 42 })))).toEqual({
      'custom.shoe_size': 'unknown_field',
    })
    const f = await createDefinition(sys, { object: 'lead', key: 'shoe_size', label: '鞋码', type: 'number' })
    expect(await validateCustomValues(sys, 'lead', { budget: 1, shoe_size: 42 })).toMatchObject({
      shoe_size: 42,
    })
    await deleteDefinition(sys, f.id)
    expect(codes(await rejects(validateCustomValues(sys, 'lead', { budget: 1, shoe_size: 42 })))).toEqual({
      'custom.shoe_size': 'unknown_field',
    })
    // Restored from the recycle bin, it is back in effect.
    const [bin] = await sys.db
      .select()
      .from(recycleBin)
      .where(and(eq(recycleBin.tenantId, kit.a.tenantId), eq(recycleBin.objectId, f.id)))
    await repositoryFor('custom_field')!.restoreRow(sys, bin!.data)
    expect(await validateCustomValues(sys, 'lead', { budget: 1, shoe_size: 43 })).toMatchObject({
      shoe_size: 43,
    })
  })

  it('custom fields of users are separate from those of leads', async () => {
    await createDefinition(sys, {
      object: 'user',
      key: 'employee_no',
      label: '工号',
      type: 'text',
      required: true,
    })
    expect(codes(await rejects(validateCustomValues(sys, 'user', {})))).toEqual({
      'custom.employee_no': 'required',
    })
    expect(codes(await rejects(validateCustomValues(sys, 'user', { employee_no: 'E1', budget: 1 })))).toEqual(
      { 'custom.budget': 'unknown_field' },
    )
  })
})

describe('masking custom PII', () => {
  const noPii = (): Ctx => ({
    ...sys,
    actor: { ...sys.actor, permissions: new Set(['leads.view', 'leads.edit']) },
  })
  const stored = {
    backup_phone: '+8613800138000',
    work_email: 'wang@example.com',
    nickname: '小王',
    budget: 5,
  }

  it('masks phone and email fields without pii.view, nothing else', async () => {
    expect(await maskCustomValues(noPii(), 'lead', stored)).toEqual({
      backup_phone: '138****8000',
      work_email: 'w***@example.com',
      nickname: '小王',
      budget: 5,
    })
    expect(await maskCustomValues(sys, 'lead', stored)).toEqual(stored)
    const mask = await customMasker(noPii(), 'lead')
    expect(mask({ backup_phone: '+8613912345678' })).toEqual({ backup_phone: '139****5678' })
  })

  it('a form sending back the masked value keeps the stored one', async () => {
    const out = await validateCustomValues(
      noPii(),
      'lead',
      { backup_phone: '138****8000', work_email: 'w***@example.com', nickname: '老王' },
      { existing: stored },
    )
    expect(out).toEqual({ ...stored, nickname: '老王' })
    // Anyone else sending a masked-looking value gets a validation error, never a corrupted value.
    expect(
      codes(
        await rejects(
          validateCustomValues(sys, 'lead', { backup_phone: '138****8000' }, { existing: stored }),
        ),
      ),
    ).toEqual({
      'custom.backup_phone': 'invalid_phone',
    })
  })
})
