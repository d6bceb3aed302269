import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import { z } from 'zod'
import type { Ctx } from '../../../platform/access/actor.js'
import { customMasker } from '../../../platform/custom-fields/validate.service.js'
import { inTransaction } from '../../../platform/db/tx.js'
import { ctxOf } from '../../../platform/http/context.js'
import { buildListQuery, listQuerySchema } from '../../../platform/http/list-query.js'
import type { App, HainaModule } from '../../../platform/http/module.js'
import { searchColumns, withSearch } from './query.js'
import { competitors, priceBooks, products } from './schema.js'
import {
  competitorsRepo,
  createPriceBook,
  createProduct,
  type PriceBookInput,
  type ProductInput,
  priceBookEntriesOf,
  priceBooksRepo,
  productsRepo,
  replacePriceBookEntries,
  updatePriceBook,
  updateProduct,
} from './service.js'

const tags = ['products']
const idParams = z.object({ id: z.string() })
const time = z.date().or(z.string())
const text = (max: number) => z.string().trim().max(max).nullable().optional()
const money = z.number().int().min(0).max(1e15)
const currency = z
  .string()
  .trim()
  .regex(/^[A-Z]{3}$/)
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/)
const version = { version: z.number().int().optional() }
const stamps = { createdAt: time, updatedAt: time, version: z.number() }
const listOf = <T extends z.ZodTypeAny>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() })
const q = listQuerySchema.extend({ q: z.string().max(100).optional() })

const productBody = z.object({
  code: z.string().trim().min(1).max(60),
  name: z.string().trim().min(1).max(200),
  category: text(60),
  unit: text(20),
  listPrice: money.optional(),
  currency: currency.optional(),
  description: text(5000),
  active: z.boolean().optional(),
  custom: z.record(z.string(), z.unknown()).optional(),
})
const productOut = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  unit: z.string().nullable(),
  listPrice: z.number(),
  currency: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  custom: z.record(z.string(), z.unknown()),
  ...stamps,
})

const priceBookBody = z.object({
  name: z.string().trim().min(1).max(100),
  currency: currency.optional(),
  isDefault: z.boolean().optional(),
  active: z.boolean().optional(),
  validFrom: day.nullable().optional(),
  validTo: day.nullable().optional(),
  description: text(2000),
})
const priceBookOut = z.object({
  id: z.string(),
  name: z.string(),
  currency: z.string(),
  isDefault: z.boolean(),
  active: z.boolean(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  description: z.string().nullable(),
  ...stamps,
})
const entryOut = z.object({
  productId: z.string(),
  unitPrice: z.number(),
  code: z.string(),
  name: z.string(),
  listPrice: z.number(),
})
const priceBookDetail = priceBookOut.extend({ entries: z.array(entryOut) })

const competitorBody = z.object({
  name: z.string().trim().min(1).max(100),
  website: text(500),
  strengths: text(5000),
  weaknesses: text(5000),
})
const competitorOut = z.object({
  id: z.string(),
  name: z.string(),
  website: z.string().nullable(),
  strengths: z.string().nullable(),
  weaknesses: z.string().nullable(),
  ...stamps,
})

type Row = Record<string, unknown>

/** One kind of catalogue record and how its five routes (list, get, create, change, delete) behave. */
interface Catalogue {
  /** '/api/v1/products' */
  path: string
  /** What the summaries call one record: 'product'. */
  noun: string
  repo: Pick<typeof productsRepo, 'list' | 'get' | 'remove'>
  out: z.ZodObject
  /** GET /:id answers this (default: `out`), from `load` (default: the repository's row). */
  detail?: z.ZodObject
  load?: (ctx: Ctx, id: string) => Promise<unknown>
  body: z.ZodObject
  listSummary: string
  columns: Record<string, AnyPgColumn>
  sortable: string[]
  /** Columns `q` searches. */
  searchIn: AnyPgColumn[]
  /** Custom-field object: custom.<key> filters and masked PII values. */
  customObject?: string
  create(ctx: Ctx, body: Row): Promise<unknown>
  update(ctx: Ctx, id: string, body: Row & { version?: number }): Promise<unknown>
  createSummary: string
  deleteSummary: string
}

/** The list, get, create, change and delete routes of a catalogue object. */
function catalogueRoutes(app: App, c: Catalogue) {
  const masked = async (ctx: Ctx, rows: Row[]) => {
    if (!c.customObject) return rows
    const mask = await customMasker(ctx, c.customObject)
    return rows.map((r) => ({ ...r, custom: mask(r.custom as Row) }))
  }
  app.get(
    c.path,
    {
      config: { permission: 'products.view' },
      schema: { tags, summary: c.listSummary, querystring: q, response: { 200: listOf(c.out) } },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const search = (v: unknown) => searchColumns(v, c.searchIn)
      const built = await buildListQuery(req.query, {
        columns: c.columns,
        sortable: c.sortable,
        ...(c.customObject ? { object: c.customObject, ctx } : {}),
        extra: { q: search },
      })
      const page = await c.repo.list(ctx, {
        ...withSearch(built, search(req.query.q)),
        limit: req.query.limit,
        cursor: req.query.cursor,
      })
      return { items: await masked(ctx, page.items), nextCursor: page.nextCursor } as never
    },
  )
  app.get(
    `${c.path}/:id`,
    {
      config: { permission: 'products.view' },
      schema: { tags, summary: `One ${c.noun}`, params: idParams, response: { 200: c.detail ?? c.out } },
    },
    async (req) => {
      const ctx = ctxOf(req)
      const row = c.load ? await c.load(ctx, req.params.id) : await c.repo.get(ctx, req.params.id)
      return (await masked(ctx, [row as Row]))[0] as never
    },
  )
  app.post(
    c.path,
    {
      config: { permission: 'products.create', idempotent: true },
      schema: { tags, summary: c.createSummary, body: c.body, response: { 201: c.out } },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      return reply
        .status(201)
        .send((await masked(ctx, [(await c.create(ctx, req.body as Row)) as Row]))[0] as never)
    },
  )
  app.patch(
    `${c.path}/:id`,
    {
      config: { permission: 'products.edit' },
      schema: {
        tags,
        summary: `Change a ${c.noun} (send version; stale → 409)`,
        params: idParams,
        body: c.body.partial().extend(version),
        response: { 200: c.out },
      },
    },
    async (req) => {
      const ctx = ctxOf(req)
      return (await masked(ctx, [(await c.update(ctx, req.params.id, req.body as Row)) as Row]))[0] as never
    },
  )
  app.delete(
    `${c.path}/:id`,
    {
      config: { permission: 'products.delete' },
      schema: { tags, summary: c.deleteSummary, params: idParams },
    },
    async (req, reply) => {
      const ctx = ctxOf(req)
      const n = await inTransaction(ctx, (tx) => c.repo.remove(tx, [req.params.id]))
      if (!n) await c.repo.get(ctx, req.params.id)
      return reply.status(204).send()
    },
  )
}

/** The product catalogue (产品目录), price books (价格表) and competitors (竞争对手). */
export const productsModule: HainaModule = {
  name: 'products',
  routes(app) {
    catalogueRoutes(app, {
      path: '/api/v1/products',
      noun: 'product',
      repo: productsRepo,
      out: productOut,
      body: productBody,
      listSummary: 'Products (filter: q on code/name, code, name, category, active, listPrice, custom.<key>)',
      columns: {
        code: products.code,
        name: products.name,
        category: products.category,
        active: products.active,
        listPrice: products.listPrice,
        currency: products.currency,
        createdAt: products.createdAt,
        updatedAt: products.updatedAt,
      },
      sortable: ['createdAt', 'updatedAt', 'code', 'name', 'listPrice'],
      searchIn: [products.code, products.name],
      customObject: 'product',
      create: (ctx, body) => createProduct(ctx, body as unknown as ProductInput),
      update: (ctx, id, body) => updateProduct(ctx, id, body as Partial<ProductInput>),
      createSummary: 'Create a product; a code already in use is 409 product_code_taken naming the code',
      deleteSummary: 'Delete a product (to the recycle bin; 409 in_use while lines use it)',
    })
    catalogueRoutes(app, {
      path: '/api/v1/price-books',
      noun: 'price book',
      repo: priceBooksRepo,
      out: priceBookOut,
      detail: priceBookDetail,
      load: async (ctx, id) => ({
        ...(await priceBooksRepo.get(ctx, id)),
        entries: await priceBookEntriesOf(ctx, id),
      }),
      body: priceBookBody,
      listSummary: 'Price books (filter: q / name, isDefault, active, currency)',
      columns: {
        name: priceBooks.name,
        isDefault: priceBooks.isDefault,
        active: priceBooks.active,
        currency: priceBooks.currency,
        createdAt: priceBooks.createdAt,
      },
      sortable: ['createdAt', 'name'],
      searchIn: [priceBooks.name],
      create: (ctx, body) => createPriceBook(ctx, body as unknown as PriceBookInput),
      update: (ctx, id, body) => updatePriceBook(ctx, id, body as Partial<PriceBookInput>),
      createSummary: 'Create a price book (isDefault makes it the one opportunities price from by default)',
      deleteSummary: 'Delete a price book (to the recycle bin)',
    })
    app.put(
      '/api/v1/price-books/:id/entries',
      {
        config: { permission: 'products.edit' },
        schema: {
          tags,
          summary: 'Replace the price book’s entries: one unit price (minor units) per product',
          params: idParams,
          body: z.object({
            entries: z.array(z.object({ productId: z.string().uuid(), unitPrice: money })).max(5000),
          }),
          response: { 200: priceBookDetail },
        },
      },
      async (req) => (await replacePriceBookEntries(ctxOf(req), req.params.id, req.body.entries)) as never,
    )
    catalogueRoutes(app, {
      path: '/api/v1/competitors',
      noun: 'competitor',
      repo: competitorsRepo,
      out: competitorOut,
      body: competitorBody,
      listSummary: 'Competitors (filter: q / name)',
      columns: { name: competitors.name, createdAt: competitors.createdAt },
      sortable: ['createdAt', 'name'],
      searchIn: [competitors.name],
      create: async (ctx, body) => (await inTransaction(ctx, (tx) => competitorsRepo.insert(tx, [body])))[0],
      update: (ctx, id, { version: v, ...patch }) =>
        inTransaction(ctx, (tx) => competitorsRepo.update(tx, id, patch, v)),
      createSummary: 'Add a competitor',
      deleteSummary: 'Delete a competitor (to the recycle bin)',
    })
  },
}
