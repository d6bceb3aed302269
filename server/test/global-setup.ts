import { ensureTemplate } from './template.js'

/** Migrates the template database once before any test file runs. */
export default async function setup(): Promise<void> {
  await ensureTemplate(process.env.DATABASE_URL)
}
