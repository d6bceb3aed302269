import type { HainaModule } from '../../../platform/http/module.js'

/** Segments (人群): builder with live count, membership, size history, export and analytics. */
export const segmentsModule: HainaModule = {
  name: 'segments',
  routes() {},
}
