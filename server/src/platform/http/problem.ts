import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod'
import type { ZodError } from 'zod'
import { type Locale, pickLocale, translate } from '../i18n/messages.js'
import { AppError, type FieldError } from './errors.js'

/** Maps a zod issue to one of our stable field codes. */
function issueCode(issue: ZodError['issues'][number]): { code: string; params?: Record<string, unknown> } {
  switch (issue.code) {
    case 'invalid_type':
      // zod 4 keeps no input on its issues; its message says what arrived ("received NaN").
      return { code: /received (undefined|null)$/.test(issue.message ?? '') ? 'required' : 'invalid_type' }
    case 'too_small':
      return issue.origin === 'string'
        ? { code: 'required' }
        : { code: 'too_small', params: { min: issue.minimum } }
    case 'too_big':
      return issue.origin === 'string'
        ? { code: 'too_long', params: { max: issue.maximum } }
        : { code: 'too_big', params: { max: issue.maximum } }
    case 'invalid_format':
      return {
        code:
          issue.format === 'email'
            ? 'invalid_email'
            : issue.format === 'url'
              ? 'invalid_url'
              : 'pattern_mismatch',
      }
    case 'invalid_value':
      return { code: 'invalid_option' }
    case 'unrecognized_keys':
      return { code: 'unknown_field' }
    default:
      return { code: 'invalid_value' }
  }
}

export function zodFieldErrors(issues: ZodError['issues']): FieldError[] {
  return issues.map((issue) => {
    const { code, params } = issueCode(issue)
    return { field: issue.path.join('.') || '(body)', code, params }
  })
}

export function localeOf(req: FastifyRequest): Locale {
  return pickLocale(req.headers['accept-language'] as string | undefined)
}

export function sendProblem(reply: FastifyReply, req: FastifyRequest, err: AppError): FastifyReply {
  const locale = localeOf(req)
  return reply
    .status(err.status)
    .type('application/problem+json')
    .send({
      type: `https://haina.dev/problems/${err.code}`,
      title: translate(err.code, 'en', err.params),
      status: err.status,
      code: err.code,
      detail: translate(err.code, locale, err.params),
      instance: req.url,
      requestId: req.id,
      ...(err.fields.length
        ? {
            errors: err.fields.map((f) => ({
              field: f.field,
              code: f.code,
              message: f.message ?? translate(f.code, locale, f.params),
            })),
          }
        : {}),
      ...err.extra,
    })
}

/** Every error leaves as RFC 9457 problem+json; internals never leak. */
export function toAppError(err: unknown, bodyLimitBytes?: number): AppError {
  if (err instanceof AppError) return err
  if (!(err instanceof Error)) return new AppError(500, 'internal')
  const fe = err as FastifyError
  if (hasZodFastifySchemaValidationErrors(fe)) {
    const ctxName = fe.validationContext
    const fields = fe.validation.map((v) => {
      // The provider flattens each zod issue into an AJV-shaped error: rebuild the issue.
      const issue = {
        ...v.params,
        code: v.keyword,
        message: v.message,
      } as unknown as ZodError['issues'][number]
      const { code, params } = issueCode(issue)
      const path = v.instancePath.split('/').filter(Boolean).join('.') || '(body)'
      return { field: ctxName && ctxName !== 'body' ? `${ctxName}.${path}` : path, code, params }
    })
    return new AppError(400, 'validation_failed', {}, fields)
  }
  if (
    fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    (err instanceof SyntaxError && fe.statusCode === 400)
  )
    return new AppError(400, 'malformed_json')
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fe.statusCode === 413)
    return new AppError(413, 'payload_too_large', { limit: byteSize(bodyLimitBytes ?? 1024 * 1024) })
  if (fe.statusCode === 429) return new AppError(429, 'rate_limited')
  // The multipart parser's own errors carry no code or status, only these messages.
  if (
    /^(Unexpected end of multipart data|Multipart: Boundary not found)$|terminated early due to unexpected end of multipart data$/.test(
      fe.message,
    )
  )
    return new AppError(400, 'malformed_multipart')
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new AppError(415, 'bad_request')
  if (isResponseSerializationError(fe as never)) return new AppError(500, 'internal')
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return new AppError(fe.statusCode, 'bad_request')
  return new AppError(500, 'internal')
}

/** 1 MB, 4 MB, 512 KB: the size a person reads in a 413. */
export function byteSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}
