import type { Ctx } from '../../platform/access/actor.js'
import { countOutcomes } from '../quality/factory.service.js'
import type { Channel } from './channels.service.js'
import { type IngestAnswer, ingestLeads } from './ingest.service.js'

interface Waiting {
  ctx: Ctx
  payload: Record<string, unknown>
  /** The workspace's phone region when the caller has read it (else ingestLeads reads it once per run). */
  phoneRegion?: string
  resolve: (answer: IngestAnswer) => void
  reject: (err: unknown) => void
}

interface Lane {
  channel: Channel
  waiting: Waiting[]
  running: boolean
}

/** Most records one combined run takes; the rest wait for the next. */
const MAX_BATCH = 500
const lanes = new Map<string, Lane>()

/**
 * Single-lead pushes of one channel share factory runs (group commit). A workspace's factory runs
 * one at a time (its advisory lock keeps one key from making two people), so N concurrent single
 * pushes used to queue for N runs; now the records that arrive while a run is in flight go
 * together in the next one. No timer: a lone push runs at once. Each caller still gets its own
 * answer, and if a combined run fails, its records are retried one by one so that one bad record
 * fails only its own request.
 */
export function ingestOne(
  ctx: Ctx,
  channel: Channel,
  payload: Record<string, unknown>,
  opts: { phoneRegion?: string } = {},
): Promise<IngestAnswer> {
  // One lane per channel version and caller: a combined run is audited as its first request's caller.
  const a = ctx.actor
  const key = `${a.tenantId}:${channel.id}:${channel.version}:${a.type}:${a.id ?? a.name}`
  let lane = lanes.get(key)
  if (!lane) {
    lane = { channel, waiting: [], running: false }
    lanes.set(key, lane)
  }
  const answer = new Promise<IngestAnswer>((resolve, reject) =>
    lane.waiting.push({ ctx, payload, phoneRegion: opts.phoneRegion, resolve, reject }),
  )
  if (!lane.running) void drain(key, lane)
  return answer
}

async function drain(key: string, lane: Lane): Promise<void> {
  lane.running = true
  try {
    while (lane.waiting.length) {
      const batch = lane.waiting.splice(0, MAX_BATCH)
      await runTogether(lane.channel, batch)
    }
  } finally {
    lane.running = false
    if (lanes.get(key) === lane && !lane.waiting.length) lanes.delete(key)
  }
}

async function runTogether(channel: Channel, batch: Waiting[]): Promise<void> {
  if (batch.length > 1) {
    try {
      const all = await ingestLeads(
        batch[0]!.ctx,
        channel,
        batch.map((w) => w.payload),
        { phoneRegion: batch[0]!.phoneRegion },
      )
      batch.forEach((w, i) => {
        const r = { ...all.results[i]!, index: 0 }
        w.resolve({ results: [r], counts: countOutcomes([r]) })
      })
      return
    } catch {
      // fall through: each record alone, so the error reaches only the request that caused it
    }
  }
  for (const w of batch) {
    try {
      w.resolve(await ingestLeads(w.ctx, channel, [w.payload], { phoneRegion: w.phoneRegion }))
    } catch (err) {
      w.reject(err)
    }
  }
}
