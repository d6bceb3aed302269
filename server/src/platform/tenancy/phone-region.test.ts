import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'
import { workspacePhoneRegion } from './phone-region.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

const patch = (payload: Record<string, unknown>) =>
  kit.req(kit.a.admin, { method: 'PATCH', url: '/api/v1/workspace', payload })
const audits = async () =>
  (
    await kit.haina.database.pool.query(
      `select before, after from audit_log where tenant_id = $1 and object_type = 'workspace' and action = 'update'
       order by at`,
      [kit.a.tenantId],
    )
  ).rows

describe('the workspace’s default phone region', () => {
  it('is mainland China until changed', async () => {
    const res = await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/workspace' })
    expect(res.json().phoneRegion).toBe('CN')
    expect(await workspacePhoneRegion(kit.haina.database.db, kit.a.tenantId)).toBe('CN')
  })

  it('changes with PATCH /workspace, audited with before and after, for that workspace only', async () => {
    const res = await patch({ phoneRegion: 'TW' })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().phoneRegion).toBe('TW')
    expect(await workspacePhoneRegion(kit.haina.database.db, kit.a.tenantId)).toBe('TW')
    expect(await workspacePhoneRegion(kit.haina.database.db, kit.b.tenantId)).toBe('CN')
    expect((await audits()).at(-1)).toMatchObject({
      before: { phoneRegion: 'CN' },
      after: { phoneRegion: 'TW' },
    })
    // Any region libphonenumber reads is accepted, not only the ones the settings page offers.
    expect((await patch({ phoneRegion: 'JP' })).json().phoneRegion).toBe('JP')
    expect((await patch({ phoneRegion: 'TW' })).statusCode).toBe(200)
  })

  it('refuses an unknown region with 400 naming phoneRegion, and changes nothing', async () => {
    const before = (await audits()).length
    for (const phoneRegion of ['XX', 'tw', 'TWN', '', 'ZZ']) {
      const res = await patch({ name: '改名不应生效', phoneRegion })
      expect(res.statusCode, phoneRegion).toBe(400)
      expect(res.json().errors).toEqual([
        expect.objectContaining({ field: 'phoneRegion', code: 'invalid_option' }),
      ])
    }
    const ws = (await kit.req(kit.a.admin, { method: 'GET', url: '/api/v1/workspace' })).json()
    expect(ws).toMatchObject({ phoneRegion: 'TW' })
    expect(ws.name).not.toBe('改名不应生效')
    expect((await audits()).length).toBe(before)
  })
})
