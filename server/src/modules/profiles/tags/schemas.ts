import { z } from 'zod'
import { TAG_SOURCES } from '../schema.js'

/** A tag as a person carries it, as the API answers it (person tags, profile, customer 360). */
export const tagViewOut = z.object({
  id: z.string(),
  name: z.string(),
  color: z.string().nullable(),
  groupId: z.string(),
  groupName: z.string(),
  source: z.enum(TAG_SOURCES),
  addedAt: z.date().or(z.string()),
  addedBy: z.string().nullable(),
  addedByName: z.string().nullable(),
  auto: z.boolean().describe('Put on by the tag’s rule'),
})
