import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freshDatabase } from '../../../test/template.js'
import type { Database } from './index.js'
import { statisticsKeeper } from './statistics.js'

let database: Database
beforeAll(async () => {
  database = await freshDatabase()
  await database.pool.query('create table stats_probe (id int primary key)')
})
afterAll(async () => {
  await database?.close()
})

const believed = async () =>
  Number(
    (await database.pool.query(`select reltuples from pg_class where oid = 'stats_probe'::regclass`)).rows[0]
      .reltuples,
  )
const fill = (from: number, to: number) =>
  database.pool.query('insert into stats_probe select generate_series($1::int, $2::int)', [from, to])

describe('statisticsKeeper', () => {
  it('analyses a table once it outgrew what the planner believes, then again only at double', async () => {
    const keeper = statisticsKeeper(database.db, ['stats_probe'], 100)
    expect(await believed()).toBeLessThanOrEqual(0) // never analysed
    await fill(1, 60)
    expect(await keeper.grew(60)).toBe(false) // under the minimum growth
    await fill(61, 150)
    expect(await keeper.grew(90)).toBe(true)
    expect(await believed()).toBe(150)
    await fill(151, 250)
    expect(await keeper.grew(100)).toBe(false) // 100 more rows on 150 believed
    await fill(251, 310)
    expect(await keeper.grew(60)).toBe(true)
    expect(await believed()).toBe(310)
  })

  it('keeps going when the tables cannot be analysed', async () => {
    const keeper = statisticsKeeper(database.db, ['no_such_table'], 1)
    expect(await keeper.grew(5)).toBe(false)
  })
})
