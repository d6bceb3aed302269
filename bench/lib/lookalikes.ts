import type pg from 'pg'
import { companySimilarity } from '../../server/src/modules/quality/match.js'
import { nameSimilarity } from '../../server/src/modules/quality/normalize/index.js'

/**
 * How many of the look-alikes the default review rules ask for the import actually queued. A lead
 * kept by the import is a look-alike when an earlier kept lead of another person has a similar name
 * at the same company (姓名相近且同一公司: name ≥ 0.8) or the same name at a similar company
 * (同名且公司相近: company ≥ 0.75); it is found when its outcome was `review`. Computed by comparing
 * every such pair in memory (for a sample of a large import's leads), so it measures what blocking
 * (candidates.ts) lets matching see.
 */
export async function lookalikeRecall(pool: pg.Pool, tenantId: string, importId: string) {
  const { rows } = await pool.query<{
    person_id: string
    company_key: string
    name_key: string
    outcome: string
  }>(
    `select l.person_id, l.company_key, l.name_key, i.outcome from leads l
       join lead_intents i on i.tenant_id = l.tenant_id and i.lead_id = l.id and i.outcome in ('created', 'review')
     where l.tenant_id = $1 and l.import_id = $2 and l.company_key is not null and l.name_key is not null
     order by l.id`,
    [tenantId, importId],
  )
  const atCompany = new Map<string, typeof rows>()
  const namesakes = new Map<string, typeof rows>()
  // Every lead is compared with all earlier ones: at a million leads a sample of 100,000 is checked.
  const every = Math.max(1, Math.ceil(rows.length / 100_000))
  let expected = 0
  let found = 0
  for (const [i, r] of rows.entries()) {
    const colleagues = atCompany.get(r.company_key) ?? []
    const sameName = namesakes.get(r.name_key) ?? []
    const sampled = i % every === 0
    const alike =
      sampled &&
      (colleagues.some((e) => e.person_id !== r.person_id && nameSimilarity(r.name_key, e.name_key) >= 0.8) ||
        sameName.some(
          (e) =>
            e.person_id !== r.person_id &&
            e.company_key !== r.company_key &&
            companySimilarity(r.company_key, e.company_key) >= 0.75,
        ))
    if (alike) {
      expected++
      if (r.outcome === 'review') found++
    }
    colleagues.push(r)
    atCompany.set(r.company_key, colleagues)
    sameName.push(r)
    namesakes.set(r.name_key, sameName)
  }
  return { expected, found, recall: expected ? found / expected : 1 }
}
