import { App, Form, type FormInstance, Modal } from 'antd'
import { type ReactNode, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { showServerErrors } from '../../pool-settings/errors.js'

/**
 * The create / edit dialog the settings lists share: fills the form from `initial` when it opens,
 * sends the values, shows the server's field errors on their inputs, closes when saved.
 */
export function RecordModal<V extends object>(props: {
  open: boolean
  title: string
  initial: Partial<V>
  onClose: () => void
  onSubmit: (values: V) => Promise<unknown>
  children: ReactNode | ((form: FormInstance<V>) => ReactNode)
  width?: number
  testId?: string
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<V>()
  const [busy, setBusy] = useState(false)
  // Only when it opens: a refetch must not reset what is being typed.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on opening only
  useEffect(() => {
    if (!props.open) return
    form.resetFields()
    form.setFieldsValue(props.initial as never)
  }, [props.open])
  const submit = async () => {
    const v = await form.validateFields()
    setBusy(true)
    try {
      await props.onSubmit(v)
      message.success(t('common.saved'))
      props.onClose()
    } catch (e) {
      showServerErrors(form, e, message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={busy}
      width={props.width ?? 560}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': `${props.testId ?? 'record'}-save` }}
      forceRender
    >
      <Form form={form} layout="vertical" data-testid={props.testId ?? 'record-form'}>
        {typeof props.children === 'function' ? props.children(form) : props.children}
      </Form>
    </Modal>
  )
}
