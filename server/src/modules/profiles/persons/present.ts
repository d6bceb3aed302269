/** A timestamp from the database (Date, or text from a raw query) as a Date; null stays null. */
export const asDate = (v: unknown): Date | null =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v))
