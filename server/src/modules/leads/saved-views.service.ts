import { and, asc, desc, eq, or } from 'drizzle-orm'
import type { Ctx } from '../../platform/access/actor.js'
import { createRepository } from '../../platform/access/data-access.js'
import { inTransaction } from '../../platform/db/tx.js'
import { notFound } from '../../platform/http/errors.js'
import { savedViews } from './pools.schema.js'

/**
 * Saved list views. Not business records: a person sees their own views and the ones others
 * shared, and changes only their own, whatever their data scope.
 */
export const savedViewsRepo = createRepository({
  table: savedViews,
  objectType: 'saved_view',
  recycle: false,
  sortable: ['createdAt', 'name'],
})

export type SavedView = typeof savedViews.$inferSelect

export interface SavedViewInput {
  name: string
  object?: string
  query?: Record<string, unknown>
  columns?: string[]
  layout?: 'list' | 'board'
  shared?: boolean
}

const owner = (ctx: Ctx) => ctx.actor.id ?? '00000000-0000-0000-0000-000000000000'

export async function listSavedViews(ctx: Ctx, object?: string): Promise<SavedView[]> {
  return ctx.db
    .select()
    .from(savedViews)
    .where(
      and(
        savedViewsRepo.visible(ctx),
        object ? eq(savedViews.object, object) : undefined,
        or(eq(savedViews.userId, owner(ctx)), eq(savedViews.shared, true)),
      ),
    )
    .orderBy(desc(eq(savedViews.userId, owner(ctx))), asc(savedViews.name), asc(savedViews.id))
}

export async function createSavedView(ctx: Ctx, input: SavedViewInput): Promise<SavedView> {
  const [row] = await inTransaction(ctx, (tx) =>
    savedViewsRepo.insert(tx, [
      { ...input, object: input.object ?? 'lead', name: input.name.trim(), userId: owner(tx) },
    ]),
  )
  return row as SavedView
}

/** One of the caller's own views, or 404 (someone else's shared view cannot be changed). */
async function ownView(ctx: Ctx, id: string): Promise<SavedView> {
  const row = (await savedViewsRepo.get(ctx, id, { forUpdate: true })) as SavedView
  if (row.userId !== ctx.actor.id) throw notFound()
  return row
}

export async function updateSavedView(
  ctx: Ctx,
  id: string,
  patch: Partial<SavedViewInput> & { version?: number },
): Promise<SavedView> {
  return inTransaction(ctx, async (tx) => {
    await ownView(tx, id)
    const { version, ...fields } = patch
    return (await savedViewsRepo.update(
      tx,
      id,
      { ...fields, ...(fields.name ? { name: fields.name.trim() } : {}) },
      version,
    )) as SavedView
  })
}

export async function deleteSavedView(ctx: Ctx, id: string): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await ownView(tx, id)
    await savedViewsRepo.remove(tx, [id])
  })
}
