import { healthModule } from './platform/http/health.js'
import type { HainaModule } from './platform/http/module.js'
import { webModule } from './platform/http/web.js'

/** Every capability mounted on the server, in registration order. */
export const modules: HainaModule[] = [
  healthModule,
  // last: its catch-all route serves the web app's client-side routes
  webModule,
]
