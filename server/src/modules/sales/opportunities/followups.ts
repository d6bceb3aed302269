import { registerFollowUpSubject, scopedFollowUpSubject } from '../../leads/followups.subjects.js'
import { opportunities } from './schema.js'
import { opportunitiesRepo } from './service.js'

/**
 * Follow-ups on opportunities (same model as on leads): /api/v1/follow-ups with subjectType
 * 'opportunity' works for whoever sees the opportunity; the opportunity keeps its last and next
 * follow-up times.
 */
registerFollowUpSubject(
  scopedFollowUpSubject({ type: 'opportunity', repo: opportunitiesRepo, table: opportunities }),
)
