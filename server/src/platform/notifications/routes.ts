import type { HainaModule } from '../http/module.js'

/** Placeholder: filled in by the issue #4 work. */
export const notificationsModule: HainaModule = {
  name: 'notifications',
  routes() {},
}
