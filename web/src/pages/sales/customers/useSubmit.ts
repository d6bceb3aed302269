import { App, type FormInstance } from 'antd'
import { useState } from 'react'
import { formErrors } from '../../../api/client.js'
import { why } from '../../pools/outcome.js'

/**
 * Saving a form: validate, send, and put the server's field errors on their inputs (anything else
 * in a message). `special` may take an error first (a duplicate, a stale version) and return true.
 * Resolves to whether it was saved.
 */
export function useSubmit<V>(form: FormInstance<V>) {
  const { message } = App.useApp()
  const [busy, setBusy] = useState(false)
  const submit = async (send: (values: V) => Promise<unknown>, special?: (e: unknown) => boolean) => {
    const values = await form.validateFields().catch(() => null)
    if (values === null) return false
    setBusy(true)
    try {
      await send(values)
      return true
    } catch (e) {
      if (special?.(e)) return false
      const fields = formErrors(e)
      form.setFields(fields as never)
      if (!fields.length) message.error(why(e))
      return false
    } finally {
      setBusy(false)
    }
  }
  return { busy, submit }
}
