// OWNED BY: accounts helper. Signature fixed (test/kit.ts and the CLI call it).
import type { Db } from '../db/index.js'

export interface CreateWorkspaceInput {
  name: string
  slug: string
  timezone?: string
  locale?: string
  admin: { name: string; email: string; password: string }
}

/** Creates a workspace: tenant row, root company unit, the ready-made roles and the first administrator. */
export async function createWorkspace(
  db: Db,
  input: CreateWorkspaceInput,
): Promise<{ tenant: { id: string; slug: string; name: string }; rootUnit: { id: string }; admin: { id: string } }> {
  throw new Error(`not implemented yet: createWorkspace(${input.slug}) ${String(db)}`)
}
