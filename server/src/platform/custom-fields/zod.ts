import { z } from 'zod'

/**
 * The `custom` part of a record's create/update body. Values are checked against the object's
 * field definitions by validateCustomValues (definitions change at run time, so the schema cannot).
 */
export const customValuesInput = z
  .record(z.string().max(40), z.unknown())
  .describe('Custom field values by key; null or "" clears a value. See GET /api/v1/custom-fields?object=…')

/** The `custom` part of a record in responses. */
export const customValuesOutput = z.record(z.string(), z.unknown())
