/**
 * Lead conversion (线索转化): a new or an existing customer + contact + opportunity in one step,
 * the lead marked converted with its history kept, and a second conversion refused with a pointer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKit, type Kit } from '../../../../test/kit.js'
import { type CustomerWorld, creditCode, customerWorld } from './fixture.js'

let kit: Kit
let w: CustomerWorld
let n = 0
beforeAll(async () => {
  kit = await createKit()
  w = await customerWorld(kit)
})
afterAll(() => kit.close())

/** A lead owned by seller, with the data factory's fields set directly. */
async function lead(extra: Record<string, unknown> = {}) {
  const id = await w.lead({
    name: `转化线索${n++}`,
    ownerId: w.user.seller,
    mobile: `1390000${String(1000 + n).slice(-4)}`,
    email: `lead${n}@example.test`,
    company: `转化测试科技有限公司${n}`,
    title: '采购经理',
    source: '官网',
    ...extra,
  })
  await w.sql(
    `update leads set credit_code = $2, region_code = '310115', address = '上海市浦东新区张江路 1 号',
            first_campaign_id = null, last_campaign_id = null where id = $1`,
    [id, creditCode(5000 + n)],
  )
  return id
}

describe('lead conversion', () => {
  it('makes a new customer, contact and opportunity from the lead, once', async () => {
    const id = await lead()
    const preview = await w.call(w.as.seller!, 'GET', `/api/v1/leads/${id}/convert/preview`)
    expect(preview.statusCode, preview.body).toBe(200)
    expect(preview.json()).toMatchObject({
      prefill: { kind: 'organisation', regionCode: '310115', source: '官网' },
      candidates: [],
      conversion: null,
    })
    const res = await w.call(w.as.seller!, 'POST', `/api/v1/leads/${id}/convert`, {
      customer: { mode: 'new', industry: '制造业' },
      contact: { dealRole: 'decision_maker' },
      opportunity: { name: '年度采购', amount: 1_200_000, expectedCloseDate: '2026-12-31' },
    })
    expect(res.statusCode, res.body).toBe(201)
    const out = res.json()
    expect(out).toMatchObject({ existingCustomer: false })
    expect(out.contactId).toBeTruthy()
    expect(out.opportunityId).toBeTruthy()

    const customer = (await w.call(w.as.seller!, 'GET', `/api/v1/customers/${out.customerId}`)).json()
    expect(customer).toMatchObject({
      kind: 'organisation',
      industry: '制造业',
      regionCode: '310115',
      address: '上海市浦东新区张江路 1 号',
      source: '官网',
      leadId: id,
      ownerId: w.user.seller,
    })
    const [source] = await w.sql('select credit_code from leads where id = $1', [id])
    expect(customer.creditCode).toBe(source.credit_code)
    expect(customer.name).toMatch(/^转化测试科技有限公司/)
    const contact = (await w.call(w.as.seller!, 'GET', `/api/v1/contacts/${out.contactId}`)).json()
    expect(contact).toMatchObject({
      title: '采购经理',
      dealRole: 'decision_maker',
      leadId: id,
      isPrimary: true,
    })
    expect(contact.mobile).toMatch(/^\+86139/)
    const [opp] = await w.sql(
      'select name, amount, lead_id, customer_id, contact_id from opportunities where id = $1',
      [out.opportunityId],
    )
    expect(opp).toEqual({
      name: '年度采购',
      amount: 1_200_000,
      lead_id: id,
      customer_id: out.customerId,
      contact_id: out.contactId,
    })
    const [l] = await w.sql('select status from leads where id = $1', [id])
    expect(l.status).toBe('converted')
    const [event] = await w.sql(
      `select payload from outbox where type = 'lead.converted' and aggregate_id = $1`,
      [id],
    )
    expect(event.payload).toMatchObject({ leadId: id, customerId: out.customerId })

    const conversion = await w.call(w.as.seller!, 'GET', `/api/v1/leads/${id}/conversion`)
    expect(conversion.json()).toMatchObject({ customerId: out.customerId, customerName: customer.name })

    const again = await w.call(w.as.seller!, 'POST', `/api/v1/leads/${id}/convert`, {
      customer: { mode: 'existing', customerId: out.customerId },
      contact: null,
      opportunity: null,
    })
    expect(again.statusCode).toBe(409)
    expect(again.json()).toMatchObject({
      code: 'lead_already_converted',
      params: { customerId: out.customerId, opportunityId: out.opportunityId },
    })
    expect(again.json().params.convertedAt).toBeTruthy()
    const moves = await w.sql('select kind, to_status from lead_moves where lead_id = $1 order by at', [id])
    expect(moves.at(-1)).toEqual({ kind: 'status', to_status: 'converted' })
  })

  it('attaches the lead to an existing customer found by the duplicate check', async () => {
    const id = await lead({ company: '既有客户（上海）有限公司', mobile: '13911112222' })
    const existing = await w.customer(w.as.seller!, { name: '既有客户有限公司' })
    const known = await w.call(w.as.seller!, 'POST', '/api/v1/contacts', {
      customerId: existing.id,
      name: '老联系人',
      mobile: '13911112222',
      isPrimary: true,
    })
    const preview = (await w.call(w.as.seller!, 'GET', `/api/v1/leads/${id}/convert/preview`)).json()
    expect(preview.candidates[0]).toMatchObject({ id: existing.id })
    // Choosing "new" anyway is refused as a duplicate, naming the candidate.
    const dup = await w.call(w.as.seller!, 'POST', `/api/v1/leads/${id}/convert`, {
      customer: { mode: 'new' },
      contact: {},
      opportunity: null,
    })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().params.candidates[0].id).toBe(existing.id)
    const res = await w.call(w.as.seller!, 'POST', `/api/v1/leads/${id}/convert`, {
      customer: { mode: 'existing', customerId: existing.id },
      contact: {},
      opportunity: {},
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      customerId: existing.id,
      contactId: known.json().id,
      existingCustomer: true,
    })
    const [row] = await w.sql('select existing_customer from lead_conversions where lead_id = $1', [id])
    expect(row.existing_customer).toBe(true)
  })

  it('rolls everything back when a part is invalid, naming the field under its part', async () => {
    const id = await lead()
    const res = await w.call(w.as.seller!, 'POST', `/api/v1/leads/${id}/convert`, {
      customer: { mode: 'new', name: '回滚客户', creditCode: '91310115000000000X' },
      contact: {},
      opportunity: {},
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().errors[0]).toMatchObject({ field: 'customer.creditCode', code: 'invalid_credit_code' })
    const badPipeline = await w.call(w.as.seller!, 'POST', `/api/v1/leads/${id}/convert`, {
      customer: { mode: 'new', name: `回滚客户${n++}` },
      contact: {},
      opportunity: { pipelineId: '00000000-0000-7000-8000-000000000000' },
    })
    expect(badPipeline.statusCode).toBe(400)
    expect(badPipeline.json().errors[0].field).toBe('opportunity.pipelineId')
    expect(await w.sql(`select id from customers where name like '回滚客户%'`)).toEqual([])
    const [l] = await w.sql('select status from leads where id = $1', [id])
    expect(l.status).not.toBe('converted')
  })

  it('converts only leads the caller sees, with customers.create', async () => {
    const id = await lead()
    const body = { customer: { mode: 'new' }, contact: null, opportunity: null }
    expect((await w.call(w.as.seller2!, 'POST', `/api/v1/leads/${id}/convert`, body)).statusCode).toBe(404)
    expect((await w.call(w.as.seller2!, 'GET', `/api/v1/leads/${id}/conversion`)).statusCode).toBe(404)
    expect((await w.call(kit.b.admin, 'POST', `/api/v1/leads/${id}/convert`, body)).statusCode).toBe(404)
    expect((await w.call(w.as.marketing!, 'POST', `/api/v1/leads/${id}/convert`, body)).statusCode).toBe(403)
    expect((await w.call(w.as.seller!, 'GET', `/api/v1/leads/${id}/conversion`)).statusCode).toBe(404)
    const ok = await w.call(w.as.seller!, 'POST', `/api/v1/leads/${id}/convert`, body)
    expect(ok.statusCode, ok.body).toBe(201)
    expect(ok.json()).toMatchObject({ contactId: null, opportunityId: null })
  })
})
