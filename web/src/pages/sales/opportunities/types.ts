import type { paths } from '../../../api/schema'

// Shapes of the sales API taken from the generated spec, so a changed route fails the build.
type Method = 'get' | 'post' | 'put' | 'patch'
/** The JSON a route answers with (200 or 201). */
export type Answer<P extends keyof paths, M extends Method> = paths[P][M] extends {
  responses: { [code in 200 | 201]?: { content: { 'application/json': infer R } } }
}
  ? R
  : never
/** One item of a list route's `items`. */
export type Item<P extends keyof paths> = Answer<P, 'get'> extends { items: (infer I)[] } ? I : never
/** The JSON body a route takes. */
export type Input<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? NonNullable<B>
  : never
