import type { HainaModule } from '../../platform/http/module.js'

/** Placeholder: filled in by the issue #4 work. */
export const routingModule: HainaModule = {
  name: 'lead-routing',
  routes() {},
}
