import { api, listQuery } from '../../../api/client.js'
import { ask, type Body, idPath, type Ok } from '../customers/api.js'

// Tasks and calendar (日程) of issue #5: types from the generated spec, so a changed route fails the build.

export type Task = Ok<'/api/v1/tasks/{id}', 'get'>
export type CalendarItem = Ok<'/api/v1/calendar', 'get'>[number]
export type TaskBody = Body<'/api/v1/tasks', 'post'>
export type Participant = Task['participants'][number]

/** Where a task's or calendar entry's subject lives in the app. */
export const subjectPath = (type: string | null | undefined, id: string | null | undefined) =>
  type && id
    ? `/${{ lead: 'leads', customer: 'customers', opportunity: 'opportunities', order: 'orders' }[type] ?? type}/${id}`
    : null

export const tasksApi = {
  list: (q: { filter?: Record<string, unknown>; cursor?: string | null }) =>
    ask(
      api.GET('/api/v1/tasks', {
        params: { query: listQuery({ limit: 50, sort: 'dueAt', filter: q.filter, cursor: q.cursor }) },
      }),
    ),
  get: (id: string) => ask(api.GET('/api/v1/tasks/{id}', idPath(id))),
  create: (body: TaskBody) => ask(api.POST('/api/v1/tasks', { body })),
  update: (id: string, body: TaskBody & { version: number }) =>
    ask(api.PATCH('/api/v1/tasks/{id}', { ...idPath(id), body })),
  remove: (id: string) => ask(api.DELETE('/api/v1/tasks/{id}', idPath(id))),
  complete: (id: string) => ask(api.POST('/api/v1/tasks/{id}/complete', { ...idPath(id), body: {} })),
  reopen: (id: string) => ask(api.POST('/api/v1/tasks/{id}/reopen', { ...idPath(id), body: {} })),
  respond: (id: string, response: 'accepted' | 'declined') =>
    ask(api.POST('/api/v1/tasks/{id}/respond', { ...idPath(id), body: { response } })),
  calendar: (from: string, to: string, userIds: string[]) =>
    ask(
      api.GET('/api/v1/calendar', {
        params: { query: { from, to, ...(userIds.length ? { userIds: userIds.join(',') } : {}) } },
      }),
    ),
}
