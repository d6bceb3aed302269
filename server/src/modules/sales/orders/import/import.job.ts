/**
 * The order import job. One row is one order line and the rows sharing an order number make one
 * order, wherever they are in the file: a first pass finds each order's last row, and an order is
 * written in the batch that reads its last row. Each batch commits its orders, refused rows and
 * checkpoint together; the checkpoint is a row every order ending at or before it is written, so
 * a resumed run (after a crash, a cancel or a failure) writes exactly the orders still missing.
 * Re-importing writes nothing: orders whose number exists for the source are duplicates.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Actor, Ctx } from '../../../../platform/access/actor.js'
import { newId } from '../../../../platform/db/columns.js'
import type { Db } from '../../../../platform/db/index.js'
import { publish } from '../../../../platform/events/outbox.js'
import { type Job, type JobTools, registerJob } from '../../../../platform/jobs/queue.js'
import { workspacePhoneRegion } from '../../../../platform/tenancy/phone-region.js'
import { openTable, type Row } from '../../../intake/import/file/index.js'
import {
  advanceImport,
  batchSize,
  importActor,
  load,
  saveImportErrors,
  setStatus,
} from '../../../intake/import/import.job.js'
import type { ImportRow } from '../../../intake/import/import.service.js'
import { materialiseFile } from '../../../intake/import/storage.js'
import { imports } from '../../../intake/schema.js'
import { insertMany, sqlArray } from '../../../quality/bulk.js'
import { nextNumber } from '../../numbers.js'
import { products } from '../../products/schema.js'
import { workspaceToday } from '../../quotes/refs.js'
import { getSalesSettings } from '../../settings.service.js'
import { counts as counted, refreshCustomerTotals } from '../customer-totals.js'
import { orders } from '../schema.js'
import { ordersRepo } from '../service.js'
import { orderEvent } from '../status.service.js'
import { type BuiltOrder, buildOrder, type GroupReading, readGroup } from './build.js'
import { type Buyer, buyerKey, resolveBuyers } from './customers.js'
import { ORDER_IMPORT_JOB, type OrderImportOptions } from './import.service.js'
import type { RowIssue } from './rows.js'

interface Settings extends Required<OrderImportOptions> {
  timeZone: string
  /** The workspace's phone region: where a buyer's mobile without a country code is read. */
  phoneRegion: string
}
const DUPLICATE_REASONS = ['duplicate_row', 'duplicate_order']
interface Refusal {
  row: Row
  reasons: RowIssue[]
}

/** The group's rows that are refused, each with its own problems or the group's. */
function refuseGroup(g: GroupReading, rows: Row[], reasons?: RowIssue[]): Refusal[] {
  const repeated = new Set(g.repeats.map((r) => r.rowNumber))
  return rows
    .filter((r) => !repeated.has(r.rowNumber))
    .map((row) => ({
      row,
      reasons: g.problems.get(row.rowNumber) ?? reasons ?? [{ field: 'row', code: 'order_has_invalid_rows' }],
    }))
}

/** Products of the workspace by code (SKU). */
async function productsByCode(ctx: Ctx, codes: string[]) {
  const rows = codes.length
    ? await ctx.db
        .select({ id: products.id, code: products.code, name: products.name })
        .from(products)
        .where(
          and(
            eq(products.tenantId, ctx.actor.tenantId),
            sql`${products.code} = any(${sqlArray(codes, 'text')})`,
          ),
        )
    : []
  return new Map(rows.map((p) => [p.code, { id: p.id, name: p.name }]))
}

/** Order numbers already imported for the source (workspace-wide: the unique key is). */
async function existingNumbers(ctx: Ctx, source: string, numbers: string[]) {
  if (!numbers.length) return new Set<string>()
  const rows = await ctx.db
    .select({ externalId: orders.externalId })
    .from(orders)
    .where(
      and(
        eq(orders.tenantId, ctx.actor.tenantId),
        eq(orders.source, source as 'ecommerce'),
        sql`${orders.externalId} = any(${sqlArray(numbers, 'text')})`,
      ),
    )
  return new Set(rows.map((r) => r.externalId!))
}

/** Writes the orders (with their lines, payments and events) and answers the customers touched. */
async function writeOrders(
  ctx: Ctx,
  imp: ImportRow,
  source: string,
  made: { externalId: string; order: BuiltOrder; buyer: Buyer }[],
) {
  if (!made.length) return
  const { orderNumberPrefix } = await getSalesSettings(ctx)
  const values = []
  for (const { externalId, order: o, buyer: b } of made)
    values.push({
      number: await nextNumber(ctx, 'order', orderNumberPrefix),
      customerId: b.customerId,
      contactId: b.contactId,
      personId: b.personId,
      source,
      externalId,
      importId: imp.id,
      status: o.status,
      orderedAt: o.orderedAt,
      ...o.stamps,
      subtotal: o.subtotal,
      discountTotal: o.discountTotal,
      shippingFee: o.shippingFee,
      total: o.total,
      paidTotal: o.paid,
      refundedTotal: o.refunded,
      shippingAddress: o.shippingAddress,
      notes: o.notes,
      ownerId: b.ownerId,
      unitId: b.unitId,
      orgId: b.orgId,
      createdBy: ctx.actor.id,
    })
  // Bind parameters stay far below PostgreSQL's limit per statement.
  const rows = []
  for (let i = 0; i < values.length; i += 500)
    rows.push(...(await ordersRepo.insert(ctx, values.slice(i, i + 500))))
  const t = ctx.actor.tenantId
  await insertMany(
    ctx,
    'order_lines',
    {
      tenant_id: 'uuid',
      id: 'uuid',
      order_id: 'uuid',
      position: 'int',
      product_id: 'uuid',
      sku: 'text',
      name: 'text',
      quantity: 'numeric',
      unit_price: 'bigint',
      discount: 'bigint',
      amount: 'bigint',
    },
    rows.flatMap((r, i) =>
      made[i]!.order.lines.map((l) => ({
        tenant_id: t,
        id: newId(),
        order_id: r.id,
        position: l.position,
        product_id: l.productId,
        sku: l.sku,
        name: l.name,
        quantity: l.quantity,
        unit_price: l.unitPrice,
        discount: l.discount,
        amount: l.amount,
      })),
    ),
  )
  const payment = (orderId: unknown, kind: string, amount: number, at: Date, ref: string) => ({
    tenant_id: t,
    id: newId(),
    order_id: orderId,
    kind,
    amount,
    method: 'other',
    paid_at: at.toISOString(),
    reference: ref,
    created_by: ctx.actor.id,
  })
  await insertMany(
    ctx,
    'order_payments',
    {
      tenant_id: 'uuid',
      id: 'uuid',
      order_id: 'uuid',
      kind: 'text',
      amount: 'bigint',
      method: 'text',
      paid_at: 'timestamptz',
      reference: 'text',
      created_by: 'uuid',
    },
    rows.flatMap((r, i) => {
      const { order: o, externalId } = made[i]!
      return [
        ...(o.paid ? [payment(r.id, 'payment', o.paid, o.orderedAt, `import:${externalId}`)] : []),
        ...(o.refunded ? [payment(r.id, 'refund', o.refunded, o.orderedAt, `import:${externalId}`)] : []),
      ]
    }),
  )
  // History arrives completed: loyalty and RFM hear of it like any other completed order.
  await publish(
    ctx,
    rows
      .filter((r) => r.status === 'completed')
      .map((r) => orderEvent('order.completed', r as never, { imported: true, importId: imp.id })),
  )
  await refreshCustomerTotals(
    ctx,
    rows.filter((r) => counted(String(r.status))).map((r) => String(r.customerId)),
  )
}

/** One batch of whole orders, their refused rows, the counts and the checkpoint: one transaction. */
async function commitBatch(db: Db, actor: Actor, imp: ImportRow, groups: Row[][], upTo: number, s: Settings) {
  return db.transaction(async (tx) => {
    const ctx: Ctx = { db: tx, actor, locale: 'zh-CN', inTx: true }
    const [cur] = await tx
      .select({ checkpoint: imports.checkpointRow })
      .from(imports)
      .where(and(eq(imports.tenantId, imp.tenantId), eq(imports.id, imp.id)))
      .for('update')
    if (cur!.checkpoint >= upTo) return
    const refused: Refusal[] = []
    let duplicate = 0
    const readings = groups.map((rows) => ({
      rows,
      g: readGroup(rows, imp.mapping, s.timeZone, s.phoneRegion),
    }))
    for (const { g } of readings) {
      duplicate += g.repeats.length
      refused.push(...g.repeats.map((row) => ({ row, reasons: [{ field: 'row', code: 'duplicate_row' }] })))
    }
    const valid = readings.filter(({ rows, g }) => {
      if (!g.problems.size) return true
      refused.push(...refuseGroup(g, rows))
      return false
    })
    const numberOf = (g: GroupReading) => g.kept[0]!.values.orderNo!
    const known = await existingNumbers(
      ctx,
      s.source,
      valid.map(({ g }) => numberOf(g)),
    )
    const fresh = valid.filter(({ rows, g }) => {
      if (!known.has(numberOf(g))) return true
      duplicate++
      refused.push(...refuseGroup(g, rows, [{ field: 'orderNo', code: 'duplicate_order' }]))
      return false
    })
    const skus = [
      ...new Set(fresh.flatMap(({ g }) => g.kept.map((k) => k.values.sku).filter((x): x is string => !!x))),
    ]
    const byCode = await productsByCode(ctx, skus)
    const now = new Date()
    const built = fresh.flatMap(({ rows, g }) => {
      const res = buildOrder(g.kept, byCode, now)
      if ('order' in res) return [{ rows, g, order: res.order }]
      refused.push(...refuseGroup({ ...g, problems: res.problems }, rows))
      return []
    })
    const probe = (g: GroupReading) => {
      const v = (k: 'customerName' | 'creditCode' | 'mobile' | 'contactName') =>
        g.kept.find((r) => r.values[k])?.values[k] ?? null
      return {
        customerName: v('customerName'),
        creditCode: v('creditCode'),
        mobile: v('mobile'),
        contactName: v('contactName'),
      }
    }
    const { found, refused: noBuyer } = await resolveBuyers(
      ctx,
      built.map(({ g }) => probe(g)),
      { create: s.createCustomers, unitId: imp.unitId },
    )
    const made = built.flatMap(({ rows, g, order }) => {
      const key = buyerKey(probe(g))
      const buyer = found.get(key)
      if (buyer) return [{ externalId: numberOf(g), order, buyer }]
      refused.push(...refuseGroup(g, rows, noBuyer.get(key)))
      return []
    })
    await writeOrders(ctx, imp, s.source, made)
    await saveImportErrors(ctx, imp, refused)
    await advanceImport(tx, imp, upTo, {
      rows: groups.reduce((n, g) => n + g.length, 0),
      created: made.length,
      merged: 0,
      duplicate,
      review: 0,
      invalid: refused.filter((r) => !DUPLICATE_REASONS.includes(r.reasons[0]!.code)).length,
    })
  })
}

/** Runs (or resumes) an order import; see the file comment. */
async function runOrderImport(job: Job, tools: JobTools) {
  const p = job.payload as unknown as { importId: string } & OrderImportOptions
  const db = tools.db
  let imp = await load(db, job.tenantId!, p.importId)
  const where = and(eq(imports.tenantId, imp.tenantId), eq(imports.id, imp.id))
  await db.update(imports).set({ status: 'running' }).where(where)
  const actor = await importActor(db, imp)
  const { timezone } = await workspaceToday({ db, actor, locale: 'zh-CN' })
  const s: Settings = {
    createCustomers: !!p.createCustomers,
    source: p.source ?? 'ecommerce',
    timeZone: timezone,
    phoneRegion: await workspacePhoneRegion(db, imp.tenantId),
  }
  const file = await materialiseFile(db, imp.tenantId, imp.id, imp.fileName)
  try {
    const table = await openTable(file.path, {
      fileName: imp.fileName,
      sheet: imp.sheet ?? undefined,
      maxBytes: Number.MAX_SAFE_INTEGER,
    })
    const col = Number(Object.entries(imp.mapping).find(([, t]) => t === 'orderNo')?.[0] ?? -1)
    const keyOf = (r: Row) => {
      const no = r.problem ? '' : (r.cells[col] ?? '').trim()
      return no ? `=${no}` : `#${r.rowNumber}`
    }
    // Pass 1: where each order ends (and how many rows there are).
    const lastRow = new Map<string, number>()
    let total = 0
    for await (const row of table.rows()) {
      total++
      lastRow.set(keyOf(row), row.rowNumber)
    }
    if (imp.totalRows == null) {
      await db.update(imports).set({ totalRows: total }).where(where)
      imp = { ...imp, totalRows: total }
    }
    // Pass 2: whole orders, in batches, from the first order not yet written.
    const pending = new Map<string, Row[]>()
    let batch: Row[][] = []
    let size = 0
    let done = 0
    const flush = async (upTo: number) => {
      if (batch.length) await commitBatch(db, actor, imp, batch, upTo, s)
      done += size
      batch = []
      size = 0
      await tools.progress(
        Math.min(99, Math.floor((done / Math.max(1, total)) * 100)),
        `${upTo - 1} / ${total}`,
        {
          row: upTo,
        },
      )
    }
    let lastSeen = imp.checkpointRow
    for await (const row of table.rows()) {
      lastSeen = row.rowNumber
      const key = keyOf(row)
      const last = lastRow.get(key)!
      if (last <= imp.checkpointRow) continue
      const group = pending.get(key) ?? []
      group.push(row)
      if (row.rowNumber < last) {
        pending.set(key, group)
        continue
      }
      pending.delete(key)
      batch.push(group)
      size += group.length
      if (size >= batchSize()) {
        await flush(row.rowNumber)
        if (await tools.isCancelled()) {
          await setStatus(db, imp, 'cancelled')
          return { cancelled: true }
        }
      }
    }
    await flush(lastSeen)
    await setStatus(db, imp, 'completed')
    await tools.progress(100, null)
    return (await load(db, imp.tenantId, imp.id)).counts
  } catch (err) {
    await db
      .update(imports)
      .set({ status: 'failed', error: err instanceof Error ? err.message : String(err) })
      .where(where)
    throw err
  } finally {
    await file.cleanup()
  }
}

registerJob({ type: ORDER_IMPORT_JOB, run: runOrderImport })
