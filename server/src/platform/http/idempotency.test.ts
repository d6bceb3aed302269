import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../test/kit.js'

let kit: Kit
beforeAll(async () => {
  kit = await createKit()
})
afterAll(() => kit.close())

describe('Idempotency-Key', () => {
  it('replays the first response to a retry and creates the record once', async () => {
    const send = (body: object, key = 'form-submit-42') =>
      kit.req(kit.a.admin, {
        method: 'POST',
        url: '/api/v1/leads',
        payload: body,
        headers: { 'idempotency-key': key },
      })
    const first = await send({ name: '周杰', mobile: '13700137000' })
    const retry = await send({ name: '周杰', mobile: '13700137000' })
    expect(first.statusCode).toBe(201)
    expect(retry.statusCode).toBe(201)
    expect(retry.headers['idempotent-replayed']).toBe('true')
    expect(retry.json().id).toBe(first.json().id)
    const { rows } = await kit.haina.database.pool.query(
      `select count(*)::int as n from leads where tenant_id = $1 and name = '周杰'`,
      [kit.a.tenantId],
    )
    expect(rows[0].n).toBe(1)
    const other = await send({ name: '另一个人' })
    expect(other.statusCode).toBe(409)
    expect(other.json().code).toBe('idempotency_mismatch')
  })

  it('keeps keys apart between callers and leaves failed attempts retryable', async () => {
    const bad = await kit.req(kit.a.admin, {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: '' },
      headers: { 'idempotency-key': 'k-1' },
    })
    expect(bad.statusCode).toBe(400)
    const fromB = await kit.req(kit.b.admin, {
      method: 'POST',
      url: '/api/v1/leads',
      payload: { name: '赵敏' },
      headers: { 'idempotency-key': 'form-submit-42' },
    })
    expect(fromB.statusCode).toBe(201)
    expect(fromB.headers['idempotent-replayed']).toBeUndefined()
  })
})
