import { createInvitations } from '../../src/platform/auth/invitations.service.js'
import { make } from './helpers.js'
import type { RouteSample } from './types.js'

let n = 0
const invite = async (ws: Parameters<RouteSample['prepare']>[1]) =>
  (
    await createInvitations(ws.sys, [
      { email: `invitee${n++}-${Date.now()}@sample.test`, unitId: ws.rootUnitId, roleIds: [] },
    ])
  )[0]!

export const samples: RouteSample[] = [
  {
    route: 'POST /api/v1/setup',
    audits: 'workspace',
    coveredElsewhere: 'needs an empty installation: src/platform/auth/accounts.test.ts',
    prepare: async () => ({}),
  },
  {
    route: 'POST /api/v1/auth/login',
    audits: 'user',
    prepare: async (kit, ws) => {
      const { rows } = await kit.haina.database.pool.query('select slug from tenants where id = $1', [
        ws.tenantId,
      ])
      return {
        body: { workspace: rows[0].slug, email: `admin@${rows[0].slug}.test`, password: 'Passw0rd!2026' },
      }
    },
  },
  {
    route: 'POST /api/v1/auth/logout',
    audits: 'user',
    prepare: async (kit, ws) => ({ as: await make.adminSession(kit, ws) }),
  },
  {
    route: 'POST /api/v1/auth/logout-all',
    audits: 'user',
    prepare: async (kit, ws) => ({ as: await make.adminSession(kit, ws) }),
  },
  { route: 'PATCH /api/v1/auth/me', audits: 'user', prepare: async () => ({ body: { locale: 'en' } }) },
  {
    route: 'POST /api/v1/auth/password',
    audits: 'user',
    prepare: async (kit, ws) => ({
      as: await make.adminSession(kit, ws),
      body: { currentPassword: 'Passw0rd!', newPassword: 'N3wPassw0rd' },
    }),
  },
  {
    route: 'GET /api/v1/users/:id',
    audits: null,
    prepare: async (_k, ws) => ({ params: { id: await make.user(ws) } }),
  },
  {
    route: 'POST /api/v1/users',
    audits: 'user',
    prepare: async (_k, ws) => ({
      body: {
        email: `new${Date.now()}@sample.test`,
        name: '新用户',
        unitId: ws.rootUnitId,
        roleIds: [],
        password: 'Passw0rd!',
      },
    }),
  },
  {
    route: 'PATCH /api/v1/users/:id',
    audits: 'user',
    prepare: async (_k, ws) => ({ params: { id: await make.user(ws) }, body: { name: '改名' } }),
  },
  {
    route: 'DELETE /api/v1/users/:id',
    audits: 'user',
    prepare: async (_k, ws) => ({ params: { id: await make.user(ws) } }),
  },
  {
    route: 'POST /api/v1/users/:id/reset-password',
    audits: 'user',
    prepare: async (_k, ws) => ({
      params: { id: await make.user(ws) },
      body: { password: 'Reset0Passw0rd' },
    }),
  },
  {
    route: 'POST /api/v1/api-keys',
    audits: 'api_key',
    prepare: async (_k, ws) => ({
      body: { name: '集成', roleId: await make.role(ws), unitId: ws.rootUnitId },
    }),
  },
  {
    route: 'DELETE /api/v1/api-keys/:id',
    audits: 'api_key',
    prepare: async (kit, ws) => {
      const res = await kit.req(ws.admin, {
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: { name: 'k', roleId: await make.role(ws), unitId: ws.rootUnitId },
      })
      return { params: { id: res.json().id } }
    },
  },
  {
    route: 'POST /api/v1/invitations',
    audits: 'invitation',
    prepare: async (_k, ws) => ({
      body: {
        email: `inv${n++}-${Date.now()}@sample.test`,
        unitId: ws.rootUnitId,
        roleIds: [await make.role(ws)],
      },
    }),
  },
  {
    route: 'DELETE /api/v1/invitations/:id',
    audits: 'invitation',
    prepare: async (_k, ws) => ({ params: { id: (await invite(ws)).id } }),
  },
  {
    route: 'GET /api/v1/invitations/accept/:token',
    audits: null,
    coveredElsewhere: 'public; the token itself is the credential: src/platform/auth/invitations.test.ts',
    prepare: async (_k, ws) => ({ params: { token: (await invite(ws)).token } }),
  },
  {
    route: 'POST /api/v1/invitations/accept/:token',
    audits: 'invitation',
    coveredElsewhere: 'public; the token itself is the credential: src/platform/auth/invitations.test.ts',
    prepare: async (_k, ws) => ({
      params: { token: (await invite(ws)).token },
      body: { name: '受邀人', password: 'Passw0rd!' },
    }),
  },
  {
    route: 'PATCH /api/v1/workspace',
    audits: 'workspace',
    prepare: async () => ({ body: { timezone: 'Asia/Hong_Kong' } }),
  },
]
