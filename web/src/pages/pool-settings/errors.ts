import type { FormInstance } from 'antd'
import { ApiError, formErrors } from '../../api/client.js'

type Message = { error: (text: string) => unknown }

/**
 * Puts a failed save's field errors on the inputs they name (`conditions[1].value` → that row's
 * value) and says the rest in a message: errors naming no input of this form, or no field at all.
 * `rename` maps a server name onto the form's when they differ.
 */
export function showServerErrors(
  form: FormInstance,
  err: unknown,
  message: Message,
  rename: (name: (string | number)[]) => (string | number)[] = (n) => n,
): void {
  const fields = formErrors(err).map((f) => ({ ...f, name: rename(f.name) }))
  const known = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)))
  const onInput = fields.filter((f) => known.has(JSON.stringify(f.name)))
  form.setFields(onInput as never)
  for (const f of fields.filter((f) => !known.has(JSON.stringify(f.name)))) message.error(f.errors[0] ?? '')
  if (!fields.length)
    message.error(err instanceof ApiError || err instanceof Error ? err.message : String(err))
}
