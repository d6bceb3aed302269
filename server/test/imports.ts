import { expect } from 'vitest'
import { DEFAULT_SETTINGS } from '../src/modules/quality/settings.service.js'
import { drainJobs } from '../src/platform/jobs/queue.js'
import type { Kit } from './kit.js'

/** Starts an uploaded lead import with a mapping as workspace A's admin, runs its job; the finished import. */
export async function runImport(kit: Kit, id: string, mapping: Record<string, string>) {
  const start = await kit.req(kit.a.admin, {
    method: 'POST',
    url: `/api/v1/imports/${id}/start`,
    payload: { mapping },
  })
  expect(start.statusCode, start.body).toBe(200)
  await drainJobs(kit.haina.database.db)
  return (await kit.req(kit.a.admin, { method: 'GET', url: `/api/v1/imports/${id}` })).json()
}

/** Workspace A refuses records with an invalid mobile or landline (the default only flags them). */
export async function rejectInvalidPhones(kit: Kit) {
  const value = {
    ...DEFAULT_SETTINGS,
    validation: { ...DEFAULT_SETTINGS.validation, mobile: 'reject', phone: 'reject' },
  }
  await kit.haina.database.pool.query(
    `insert into quality_settings (tenant_id, value) values ($1, $2)
     on conflict (tenant_id) do update set value = excluded.value`,
    [kit.a.tenantId, JSON.stringify(value)],
  )
}
