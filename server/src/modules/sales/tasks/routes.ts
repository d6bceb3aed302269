import type { HainaModule } from '../../../platform/http/module.js'

/** Sales: tasks (issue #5). */
export const tasksModule: HainaModule = {
  name: 'tasks',
  routes() {},
}
