import { sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { writeAudit } from '../../platform/audit/service.js'
import { newId } from '../../platform/db/columns.js'
import { inTransaction } from '../../platform/db/tx.js'
import { publish } from '../../platform/events/outbox.js'
import { insertMany } from '../quality/bulk.js'
import { loadCandidates } from '../quality/candidates.js'
import { identityKey, identityKeysOf } from '../quality/match.js'
import { normalizeLead } from '../quality/normalize/index.js'

export interface EventInput {
  type: string
  occurredAt?: string
  eventKey?: string
  identity: {
    mobile?: string
    email?: string
    openid?: string
    unionid?: string
    wechatAppId?: string
    deviceId?: string
    externalId?: string
  }
  properties?: Record<string, unknown>
}

export interface EventResult {
  index: number
  status: 'stored' | 'duplicate' | 'invalid'
  personId: string | null
  issues: { field: string; code: string }[]
}

/**
 * Behaviour events (append-only): each identity is normalised like a lead's keys, resolved to its
 * person (a new, anonymous person when no key is known yet — a later lead with the same key joins
 * it), and stored. A channel's retry of the same eventKey is stored once.
 */
export async function ingestEvents(
  ctx: Ctx,
  channelId: string | null,
  events: EventInput[],
): Promise<EventResult[]> {
  return inTransaction(ctx, async (tx) => {
    const t = tx.actor.tenantId
    // Same lock as the data factory: identities are created by both.
    await tx.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`intake:${t}`}, 0))`)
    const normalised = events.map((e) => normalizeLead({ ...e.identity, name: undefined }))
    const results: EventResult[] = events.map((_, index) => ({
      index,
      status: 'stored',
      personId: null,
      issues: [],
    }))
    const keysOf = normalised.map((n) => identityKeysOf(n, channelId))
    normalised.forEach((n, i) => {
      const bad = n.issues.filter((x) => x.code !== 'required')
      if (keysOf[i]!.length === 0) results[i]!.issues.push({ field: 'identity', code: 'required' })
      results[i]!.issues.push(...bad.map((x) => ({ field: `identity.${x.field}`, code: x.code })))
      const at = events[i]!.occurredAt ? new Date(events[i]!.occurredAt!) : new Date()
      if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 86_400_000)
        results[i]!.issues.push({ field: 'occurredAt', code: 'invalid_date' })
      if (keysOf[i]!.length === 0 || Number.isNaN(at.getTime())) results[i]!.status = 'invalid'
    })
    const { personByKey } = await loadCandidates(tx, keysOf.flat(), [])
    const persons: Record<string, unknown>[] = []
    const identities: Record<string, unknown>[] = []
    const rows: Record<string, unknown>[] = []
    const now = new Date()
    for (const [i, e] of events.entries()) {
      const r = results[i]!
      if (r.status === 'invalid') continue
      const keys = keysOf[i]!.map((k) => ({ ...k, key: identityKey(k.kind, k.namespace, k.value) }))
      let personId = keys.map((k) => personByKey.get(k.key)).find(Boolean)
      if (!personId) {
        personId = newId()
        persons.push({ tenant_id: t, id: personId, name: null, first_seen_at: now, last_seen_at: now })
      }
      for (const k of keys)
        if (!personByKey.has(k.key)) {
          personByKey.set(k.key, personId)
          identities.push({
            tenant_id: t,
            kind: k.kind,
            namespace: k.namespace,
            value: k.value,
            person_id: personId,
          })
        }
      r.personId = personId
      rows.push({
        tenant_id: t,
        id: newId(),
        person_id: personId,
        channel_id: channelId,
        type: e.type,
        occurred_at: e.occurredAt ? new Date(e.occurredAt) : now,
        event_key: e.eventKey ?? null,
        identity: Object.fromEntries(keys.map((k) => [k.field, k.value])),
        properties: e.properties ?? {},
        __index: i,
      })
    }
    await insertMany(
      tx,
      'persons',
      {
        tenant_id: 'uuid',
        id: 'uuid',
        name: 'text',
        first_seen_at: 'timestamptz',
        last_seen_at: 'timestamptz',
      },
      persons,
    )
    await insertMany(
      tx,
      'person_identities',
      { tenant_id: 'uuid', kind: 'text', namespace: 'text', value: 'text', person_id: 'uuid' },
      identities,
      sql`on conflict do nothing`,
    )
    if (rows.length) {
      // A channel's retry of an eventKey it sent before (or twice in this batch) hits the unique
      // (tenant, channel, event_key) index and is not inserted: answered 'duplicate'.
      const inserted = await insertMany<{ id: string }>(
        tx,
        'behaviour_events',
        {
          tenant_id: 'uuid',
          id: 'uuid',
          person_id: 'uuid',
          channel_id: 'uuid',
          type: 'text',
          occurred_at: 'timestamptz',
          event_key: 'text',
          identity: 'jsonb',
          properties: 'jsonb',
        },
        rows,
        sql`on conflict do nothing returning id`,
      )
      const kept = new Set(inserted.map((r) => r.id))
      const stored = rows.filter((r) => kept.has(r.id as string))
      for (const r of rows) if (!kept.has(r.id as string)) results[r.__index as number]!.status = 'duplicate'
      // Seen-times from this batch only: never rescans a person's history.
      const span = new Map<string, { first: Date; last: Date }>()
      for (const r of stored) {
        const at = r.occurred_at as Date
        const cur = span.get(r.person_id as string)
        if (!cur) span.set(r.person_id as string, { first: at, last: at })
        else {
          if (at < cur.first) cur.first = at
          if (at > cur.last) cur.last = at
        }
      }
      const spans = [...span].map(([id, s]) => ({ id, first: s.first, last: s.last }))
      // One outbox event per batch (profiles re-evaluate automatic tags and segments of these persons).
      if (span.size)
        await publish(tx, [
          {
            type: 'behaviour.recorded',
            aggregateType: 'person',
            payload: { personIds: [...span.keys()], channelId },
          },
        ])
      await tx.db.execute(sql`
        update persons p set last_seen_at = greatest(p.last_seen_at, s.last), first_seen_at = least(p.first_seen_at, s.first)
        from jsonb_to_recordset(${JSON.stringify(spans)}::jsonb) as s(id uuid, first timestamptz, last timestamptz)
        where p.tenant_id = ${t} and p.id = s.id
          -- "seen" to the minute is enough, and spares rewriting a busy visitor's row on every batch
          and (p.last_seen_at < s.last - interval '1 minute' or p.first_seen_at > s.first)`)
    }
    // One audit record per batch: who pushed how many events (the events themselves are the detail).
    const stored = results.filter((r) => r.status === 'stored').length
    await writeAudit(tx, [
      {
        action: 'ingest',
        objectType: 'behaviour_event',
        summary: `stored ${stored}, duplicate ${results.filter((r) => r.status === 'duplicate').length}, invalid ${results.filter((r) => r.status === 'invalid').length}`,
        after: { channelId, stored },
      },
    ])
    return results
  })
}
