import type { Candidate } from './match.js'

/**
 * A batch's candidates by exact identity key (`kind|namespace|value`), name key and company key:
 * a record of the batch is compared only with the candidates that share one of its keys, not with
 * every lead the batch's blocking read.
 */
export class CandidateIndex {
  private readonly byKey = new Map<string, Candidate[]>()
  private readonly byPerson = new Map<string, Candidate[]>()

  constructor(candidates: Iterable<Candidate> = []) {
    for (const c of candidates) this.add(c)
  }

  add(c: Candidate): void {
    push(this.byPerson, c.personId, c)
    for (const k of c.identities) push(this.byKey, k, c)
    if (c.nameKey) push(this.byKey, `n:${c.nameKey}`, c)
    if (c.companyKey) push(this.byKey, `c:${c.companyKey}`, c)
  }

  /** A key now belongs to `personId`: every lead of that person carries it from here on. */
  addKey(personId: string, key: string): void {
    for (const c of this.byPerson.get(personId) ?? []) {
      if (c.identities.has(key)) continue
      c.identities.add(key)
      push(this.byKey, key, c)
    }
  }

  /** The candidates sharing an identity key, the name key or the company key of a record. */
  related(identityKeys: Iterable<string>, nameKey: string | null, companyKey: string | null): Set<Candidate> {
    const out = new Set<Candidate>()
    const take = (key: string) => {
      for (const c of this.byKey.get(key) ?? []) out.add(c)
    }
    for (const k of identityKeys) take(k)
    if (nameKey) take(`n:${nameKey}`)
    if (companyKey) take(`c:${companyKey}`)
    return out
  }
}

function push(map: Map<string, Candidate[]>, key: string, c: Candidate) {
  const list = map.get(key)
  if (list) list.push(c)
  else map.set(key, [c])
}
