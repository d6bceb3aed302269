import { type QueryKey, useQueryClient } from '@tanstack/react-query'
import { App, type FormInstance } from 'antd'
import { useTranslation } from 'react-i18next'
import { formErrors } from '../../api/client.js'

/**
 * Saving one of the cleansing-rule forms: validate, send, keep the answer as the cached value, and
 * put the server's field errors on their inputs. Errors that name no input (`onInput` false, e.g.
 * "grades" for A > B > C) are said in a message instead of being lost.
 */
export function useSaveForm<T>(
  form: FormInstance,
  queryKey: QueryKey,
  send: (values: Record<string, unknown>) => Promise<T>,
  onInput: (name: (string | number)[]) => boolean = () => true,
) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  return async () => {
    const values = await form.validateFields()
    try {
      qc.setQueryData(queryKey, await send(values))
      message.success(t('quality.rules.saved'))
    } catch (e) {
      const fields = formErrors(e)
      form.setFields(fields.filter((f) => onInput(f.name)) as never)
      for (const f of fields.filter((f) => !onInput(f.name))) message.error(f.errors[0])
      if (!fields.length) message.error((e as Error).message)
    }
  }
}
