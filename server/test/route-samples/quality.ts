import { runFactory } from '../../src/modules/quality/factory.service.js'
import { mergeLeads } from '../../src/modules/quality/merge.service.js'
import type { Workspace } from '../kit.js'
import { make } from './helpers.js'
import type { RouteSample } from './types.js'

let n = 0
/** Two look-alikes at one company: the second lands in the review queue. */
type Query = (sql: string, params: unknown[]) => Promise<{ rows: { id: string }[] }>
async function reviewItem(kit: { haina: { database: { pool: { query: Query } } } }, ws: Workspace) {
  const src = {
    channelId: null,
    campaignId: null,
    importId: null,
    unitId: ws.rootUnitId,
    orgId: ws.rootUnitId,
    source: 's',
  }
  const company = `样例公司${n++}${Date.now()}`
  await runFactory(ws.sys, src, [
    { lead: { name: '林一', mobile: `1390000${String(n).padStart(4, '0')}`, company } },
  ])
  const [r] = await runFactory(ws.sys, src, [
    { lead: { name: '林乙', mobile: `1370000${String(n).padStart(4, '0')}`, company } },
  ])
  const { rows } = await kit.haina.database.pool.query('select id from review_items where lead_id = $1', [
    r!.leadId,
  ])
  return rows[0]!.id
}

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/quality/review-items/resolve',
    audits: 'review_item',
    prepare: async (k, ws) => ({ body: { ids: [await reviewItem(k, ws)], action: 'dismiss' } }),
  },
  {
    route: 'POST /api/v1/leads/merge',
    audits: 'lead',
    prepare: async (_k, ws) => ({
      body: { targetId: await make.lead(ws), sourceIds: [await make.lead(ws)] },
    }),
  },
  {
    route: 'POST /api/v1/quality/merges/:id/undo',
    audits: 'lead',
    prepare: async (_k, ws) => {
      const { mergeIds } = await mergeLeads(ws.sys, await make.lead(ws), [await make.lead(ws)])
      return { params: { id: mergeIds[0]! } }
    },
  },
  {
    route: 'GET /api/v1/leads/:id/merges',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await make.lead(ws) } }),
  },
  {
    route: 'GET /api/v1/leads/:id/score',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await make.lead(ws) } }),
  },
  {
    route: 'PUT /api/v1/quality/settings',
    audits: 'quality_settings',
    prepare: async () => ({
      body: {
        validation: {
          mobile: 'flag',
          phone: 'flag',
          email: 'flag',
          disposableEmail: 'flag',
          wechat: 'reject',
          creditCode: 'flag',
        },
        survivorship: { default: 'newest', channelPriority: [] },
        grades: { A: 80, B: 60, C: 30 },
      },
    }),
  },
  {
    route: 'PUT /api/v1/quality/dedupe-rules',
    audits: 'dedupe_rules',
    prepare: async () => ({
      body: {
        rules: [
          { name: '手机', conditions: [{ field: 'mobile', match: 'exact' }], scope: {}, action: 'merge' },
        ],
      },
    }),
  },
  {
    route: 'PUT /api/v1/quality/scoring-rules',
    audits: 'scoring_rules',
    prepare: async () => ({
      body: { rules: [{ name: '有手机', kind: 'field_present', params: { field: 'mobile' }, points: 10 }] },
    }),
  },
  { route: 'POST /api/v1/quality/rededupe', audits: 'job', prepare: async () => ({}) },
]
