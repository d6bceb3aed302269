/**
 * The order import (e-commerce history) on the lead import's machinery: the same upload, file
 * reading and encoding detection, stored file, imports row (target 'order'), jobs queue with a
 * checkpoint per batch, and error file. What differs is here: the columns and how rows become
 * orders (import.job.ts).
 */
import { eq } from 'drizzle-orm'
import type { Ctx } from '../../../../platform/access/actor.js'
import { inTransaction } from '../../../../platform/db/tx.js'
import { AppError, notFound, validationFailed } from '../../../../platform/http/errors.js'
import { enqueue } from '../../../../platform/jobs/queue.js'
import { workspacePhoneRegion } from '../../../../platform/tenancy/phone-region.js'
import { createImport, type ImportRow, importsRepo } from '../../../intake/import/import.service.js'
import { imports } from '../../../intake/schema.js'
import { workspaceToday } from '../../quotes/refs.js'
import '../messages.js'
import type { ORDER_SOURCES } from '../schema.js'
import { ORDER_TARGETS } from './columns.js'
import { type ImportMapping, readOrderRow } from './rows.js'

export const ORDER_IMPORT_JOB = 'orders.import'

export interface OrderImportOptions {
  /** Create a customer (and its contact) when none matches; otherwise such rows are refused. */
  createCustomers?: boolean
  /** The orders' source: the external order number is unique per source. */
  source?: (typeof ORDER_SOURCES)[number]
}

/** Upload: headers, a sample and a suggested mapping to the order columns. */
export function createOrderImport(
  ctx: Ctx,
  file: { path: string; fileName: string; size: number },
  opts: { unitId?: string; sheet?: string; maxBytes: number },
) {
  return createImport(ctx, file, { ...opts, target: 'order', targets: ORDER_TARGETS })
}

/** An order import the caller can see (a lead import's id is 404 here). */
export async function getOrderImport(ctx: Ctx, id: string, forUpdate = false): Promise<ImportRow> {
  const imp = (await importsRepo.get(ctx, id, { raw: true, forUpdate })) as ImportRow
  if (imp.target !== 'order') throw notFound()
  return imp
}

export function listOrderImports(ctx: Ctx, q: { limit?: number; cursor?: string }) {
  return importsRepo.list(ctx, { where: eq(imports.target, 'order'), limit: q.limit, cursor: q.cursor })
}

/** Each target at most once, columns that exist; order number, product and price must be mapped. */
export function checkOrderMapping(mapping: ImportMapping, headers: string[]) {
  const known = new Set(ORDER_TARGETS.map((t) => t.key))
  const errors: { field: string; code: string }[] = []
  const used = new Set<string>()
  for (const [col, target] of Object.entries(mapping)) {
    const n = Number(col)
    if (!Number.isInteger(n) || n < 0 || n >= headers.length || !known.has(target))
      errors.push({ field: `mapping.${col}`, code: 'invalid_option' })
    else if (used.has(target)) errors.push({ field: `mapping.${col}`, code: 'not_unique' })
    used.add(target)
  }
  const need: [string, string[]][] = [
    ['orderNo', ['orderNo']],
    ['productName', ['productName', 'sku']],
    ['unitPrice', ['unitPrice', 'lineAmount']],
    ['customerName', ['customerName', 'mobile', 'creditCode']],
  ]
  for (const [field, any] of need)
    if (!any.some((t) => used.has(t))) errors.push({ field: `mapping.${field}`, code: 'required' })
  if (errors.length) throw validationFailed(errors)
}

/** The sample rows as they would be read: values and each field's problem. */
export async function previewOrderImport(
  ctx: Ctx,
  id: string,
  mapping: ImportMapping,
  sample: { rowNumber: number; cells: string[] }[],
) {
  const imp = await getOrderImport(ctx, id)
  checkOrderMapping(mapping, imp.headers)
  const { timezone } = await workspaceToday(ctx)
  const phoneRegion = await workspacePhoneRegion(ctx.db, ctx.actor.tenantId)
  const columnOf = new Map(Object.entries(mapping).map(([col, t]) => [t, Number(col)]))
  return sample.map((row) => {
    const { values, issues } = readOrderRow(row.cells, mapping, timezone, phoneRegion)
    return {
      rowNumber: row.rowNumber,
      values: values as unknown as Record<string, unknown>,
      issues: issues.map((i) => ({ ...i, column: columnOf.get(i.field) ?? null })),
    }
  })
}

/** Queues the import job (or re-queues a failed / cancelled one: it resumes after its checkpoint). */
export async function startOrderImport(
  ctx: Ctx,
  id: string,
  input: { mapping: ImportMapping } & OrderImportOptions,
) {
  return inTransaction(ctx, async (tx) => {
    const imp = await getOrderImport(tx, id, true)
    if (!['uploaded', 'failed', 'cancelled'].includes(imp.status))
      throw new AppError(409, 'import_already_started', { status: imp.status })
    checkOrderMapping(input.mapping, imp.headers)
    const [job] = await enqueue(tx, {
      type: ORDER_IMPORT_JOB,
      tenantId: tx.actor.tenantId,
      payload: {
        importId: id,
        createCustomers: input.createCustomers ?? false,
        source: input.source ?? 'ecommerce',
      },
      maxAttempts: 3,
    })
    return importsRepo.update(tx, id, {
      mapping: input.mapping,
      status: 'queued',
      error: null,
      jobId: job!.id,
    })
  })
}
