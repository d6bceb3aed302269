import { sql } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { writeAudit } from '../../platform/audit/service.js'
import { newId } from '../../platform/db/columns.js'
import { inTransaction } from '../../platform/db/tx.js'
import { publish } from '../../platform/events/outbox.js'
import { workspacePhoneRegion } from '../../platform/tenancy/phone-region.js'
import { insertArrays, sqlArray } from '../quality/bulk.js'
import { identityKey, identityKeysOf } from '../quality/match.js'
import { normalizeIdentity } from '../quality/normalize/index.js'
import type { IdentityKind } from '../quality/schema.js'

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

interface EventKey {
  field: string
  kind: IdentityKind
  namespace: string
  value: string
  /** `kind|namespace|value` */
  key: string
}

/** A person's seen-times, in microseconds since the epoch (what PostgreSQL stores, exact in a number). */
interface Seen {
  first: number
  last: number
}

const MINUTE_US = 60_000_000

/**
 * Behaviour events (append-only): each identity is normalised like a lead's keys, resolved to its
 * person (a new, anonymous person when no key is known yet — a later lead with the same key joins
 * it), and stored. A channel's retry of the same eventKey is stored once.
 *
 * A batch of 5,000 is a handful of statements, whatever its size: the identities' persons (one
 * lookup of the batch's distinct keys), new persons and keys, the events, the outbox event, the
 * seen-times that moved and the audit record. Rows go in as one typed array per column (`unnest`).
 */
export async function ingestEvents(
  ctx: Ctx,
  channelId: string | null,
  events: EventInput[],
): Promise<EventResult[]> {
  const now = new Date()
  const nowMs = now.getTime()
  // Normalising and checking needs no lock: done before the transaction takes it.
  const phoneRegion = await workspacePhoneRegion(ctx.db, ctx.actor.tenantId)
  const results: EventResult[] = []
  const keysOf: EventKey[][] = []
  const atOf: Date[] = []
  const probes = new Map<string, EventKey>()
  for (const [index, e] of events.entries()) {
    const n = normalizeIdentity(e.identity, phoneRegion)
    const keys: EventKey[] = identityKeysOf(n, channelId).map((k) => ({
      ...k,
      key: identityKey(k.kind, k.namespace, k.value),
    }))
    const issues: EventResult['issues'] = []
    if (keys.length === 0) issues.push({ field: 'identity', code: 'required' })
    for (const x of n.issues)
      if (x.code !== 'required') issues.push({ field: `identity.${x.field}`, code: x.code })
    const at = e.occurredAt ? new Date(e.occurredAt) : now
    if (Number.isNaN(at.getTime()) || at.getTime() > nowMs + 86_400_000)
      issues.push({ field: 'occurredAt', code: 'invalid_date' })
    const invalid = keys.length === 0 || Number.isNaN(at.getTime())
    results.push({ index, status: invalid ? 'invalid' : 'stored', personId: null, issues })
    keysOf.push(keys)
    atOf.push(at)
    if (!invalid) for (const k of keys) probes.set(k.key, k)
  }

  return inTransaction(ctx, async (tx) => {
    const t = tx.actor.tenantId
    // Same lock as the data factory: identities are created by both.
    await tx.db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`intake:${t}`}, 0))`)

    // The persons of the batch's known keys, with their seen-times: one statement.
    const personByKey = new Map<string, string>()
    const seen = new Map<string, Seen>()
    if (probes.size) {
      const list = [...probes.values()]
      const kinds = sqlArray(
        list.map((k) => k.kind),
        'text',
      )
      const namespaces = sqlArray(
        list.map((k) => k.namespace),
        'text',
      )
      const values = sqlArray(
        list.map((k) => k.value),
        'text',
      )
      const hits = await tx.db.execute<{
        kind: IdentityKind
        namespace: string
        value: string
        person_id: string
        first_us: number | string
        last_us: number | string
      }>(sql`
        select i.kind, i.namespace, i.value, i.person_id,
               (extract(epoch from p.first_seen_at) * 1000000)::int8 as first_us,
               (extract(epoch from p.last_seen_at) * 1000000)::int8 as last_us
        from unnest(${kinds}, ${namespaces}, ${values}) as k(kind, namespace, value)
        join person_identities i on i.tenant_id = ${t} and i.kind = k.kind and i.namespace = k.namespace and i.value = k.value
        join persons p on p.tenant_id = ${t} and p.id = i.person_id`)
      for (const h of hits.rows) {
        personByKey.set(identityKey(h.kind, h.namespace, h.value), h.person_id)
        seen.set(h.person_id, { first: Number(h.first_us), last: Number(h.last_us) })
      }
    }

    // Each event's person: the first of its keys that is known (from the database or an earlier
    // event of the batch), else a new person; its unknown keys join that person.
    const newPersons: string[] = []
    const identities = {
      kind: [] as string[],
      namespace: [] as string[],
      value: [] as string[],
      person: [] as string[],
    }
    const rows = {
      index: [] as number[],
      id: [] as string[],
      person: [] as string[],
      type: [] as string[],
      at: [] as string[],
      key: [] as (string | null)[],
      identity: [] as string[],
      properties: [] as string[],
    }
    for (const [i, e] of events.entries()) {
      const r = results[i]!
      if (r.status === 'invalid') continue
      const keys = keysOf[i]!
      let personId: string | undefined
      for (const k of keys) {
        personId = personByKey.get(k.key)
        if (personId) break
      }
      if (!personId) {
        personId = newId()
        newPersons.push(personId)
        seen.set(personId, { first: nowMs * 1000, last: nowMs * 1000 })
      }
      const identity: Record<string, string> = {}
      for (const k of keys) {
        identity[k.field] = k.value
        if (personByKey.has(k.key)) continue
        personByKey.set(k.key, personId)
        identities.kind.push(k.kind)
        identities.namespace.push(k.namespace)
        identities.value.push(k.value)
        identities.person.push(personId)
      }
      r.personId = personId
      rows.index.push(i)
      rows.id.push(newId())
      rows.person.push(personId)
      rows.type.push(e.type)
      rows.at.push(atOf[i]!.toISOString())
      rows.key.push(e.eventKey ?? null)
      rows.identity.push(JSON.stringify(identity))
      rows.properties.push(JSON.stringify(e.properties ?? {}))
    }

    const tenant = { type: 'uuid', value: t }
    const seenNow = { type: 'timestamptz', value: now.toISOString() }
    await insertArrays(
      tx,
      'persons',
      { tenant_id: tenant, first_seen_at: seenNow, last_seen_at: seenNow },
      { id: { type: 'uuid', values: newPersons } },
    )
    await insertArrays(
      tx,
      'person_identities',
      { tenant_id: tenant },
      {
        kind: { type: 'text', values: identities.kind },
        namespace: { type: 'text', values: identities.namespace },
        value: { type: 'text', values: identities.value },
        person_id: { type: 'uuid', values: identities.person },
      },
      sql`on conflict do nothing`,
    )
    let storedCount = 0
    if (rows.id.length) {
      // A channel's retry of an eventKey it sent before (or twice in this batch) hits the unique
      // (tenant, channel, event_key) index and is not inserted: answered 'duplicate'.
      const inserted = await insertArrays<{ id: string }>(
        tx,
        'behaviour_events',
        { tenant_id: tenant, channel_id: { type: 'uuid', value: channelId } },
        {
          id: { type: 'uuid', values: rows.id },
          person_id: { type: 'uuid', values: rows.person },
          type: { type: 'text', values: rows.type },
          occurred_at: { type: 'timestamptz', values: rows.at },
          event_key: { type: 'text', values: rows.key },
          identity: { type: 'jsonb', values: rows.identity },
          properties: { type: 'jsonb', values: rows.properties },
        },
        sql`on conflict do nothing returning id`,
      )
      const kept = new Set(inserted.map((r) => r.id))
      // Seen-times from this batch's stored events only: never rescans a person's history.
      const span = new Map<string, Seen>()
      for (const [j, id] of rows.id.entries()) {
        const i = rows.index[j]!
        if (!kept.has(id)) {
          results[i]!.status = 'duplicate'
          continue
        }
        storedCount++
        const us = atOf[i]!.getTime() * 1000
        const cur = span.get(rows.person[j]!)
        if (!cur) span.set(rows.person[j]!, { first: us, last: us })
        else {
          if (us < cur.first) cur.first = us
          if (us > cur.last) cur.last = us
        }
      }
      // One outbox event per batch (profiles re-evaluate automatic tags and segments of these persons).
      if (span.size)
        await publish(tx, [
          {
            type: 'behaviour.recorded',
            aggregateType: 'person',
            payload: { personIds: [...span.keys()], channelId },
          },
        ])
      // "Seen" to the minute is enough, and spares rewriting a busy visitor's row on every batch:
      // only persons whose seen-times (read above, under the lock, or just inserted) move are sent,
      // by the statement's own condition.
      const moved = [...span].filter(([id, s]) => {
        const p = seen.get(id)
        return !p || p.last < s.last - MINUTE_US || p.first > s.first
      })
      if (moved.length)
        await tx.db.execute(sql`
          update persons p set last_seen_at = greatest(p.last_seen_at, s.last), first_seen_at = least(p.first_seen_at, s.first)
          from unnest(${sqlArray(
            moved.map(([id]) => id),
            'uuid',
          )}, ${sqlArray(
            moved.map(([, s]) => new Date(s.first / 1000).toISOString()),
            'timestamptz',
          )}, ${sqlArray(
            moved.map(([, s]) => new Date(s.last / 1000).toISOString()),
            'timestamptz',
          )}) as s(id, first, last)
          where p.tenant_id = ${t} and p.id = s.id
            and (p.last_seen_at < s.last - interval '1 minute' or p.first_seen_at > s.first)`)
    }
    // One audit record per batch: who pushed how many events (the events themselves are the detail).
    let duplicate = 0
    let invalid = 0
    for (const r of results)
      if (r.status === 'duplicate') duplicate++
      else if (r.status === 'invalid') invalid++
    await writeAudit(tx, [
      {
        action: 'ingest',
        objectType: 'behaviour_event',
        summary: `stored ${storedCount}, duplicate ${duplicate}, invalid ${invalid}`,
        after: { channelId, stored: storedCount },
      },
    ])
    return results
  })
}
