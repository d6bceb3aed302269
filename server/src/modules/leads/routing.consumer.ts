import { registerConsumer } from '../../platform/events/outbox.js'
import { routeArrivals } from './assignment.service.js'

/**
 * New leads (intake, import, manual entry through the data factory) are distributed and then
 * assigned as the workspace's lead settings say (both on by default). Idempotent: a redelivered
 * event finds its leads already placed (owned or moved out of the source pool) and leaves them.
 */
registerConsumer({
  name: 'leads.routing',
  eventTypes: ['lead.created'],
  async handle(ctx, event) {
    const ids = event.payload.leadIds
    if (!Array.isArray(ids) || ids.length === 0) return
    await routeArrivals(
      ctx,
      ids.filter((id): id is string => typeof id === 'string'),
    )
  },
})
