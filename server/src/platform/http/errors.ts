/**
 * Application errors. Thrown anywhere; the HTTP layer renders them as RFC 9457 problem+json
 * with a stable `code` and a message in the caller's language.
 */
export interface FieldError {
  /** Path of the field: 'email', 'custom.level', 'rows[3].mobile'. */
  field: string
  code: string
  params?: Record<string, unknown>
  /** Optional text used verbatim instead of the catalogue message. */
  message?: string
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(code)
  }
}

export const badRequest = (code = 'bad_request', params?: Record<string, unknown>) =>
  new AppError(400, code, params)
export const validationFailed = (fields: FieldError[]) => new AppError(400, 'validation_failed', {}, fields)
export const unauthenticated = () => new AppError(401, 'unauthenticated')
export const forbidden = (permission: string) => new AppError(403, 'forbidden', { permission })
/** Also what callers get for another tenant's ids or records outside their scope: never 403. */
export const notFound = () => new AppError(404, 'not_found')
export const conflict = (current?: Record<string, unknown>) =>
  new AppError(409, 'conflict', {}, [], current ? { current } : {})
export const duplicate = (field: string) =>
  new AppError(409, 'duplicate', { field }, [{ field, code: 'not_unique' }])
