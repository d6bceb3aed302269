import { App, Button, Popconfirm, Space } from 'antd'
import type { MouseEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useCan } from '../../../session.js'
import { errText } from '../opportunities/format.js'

/**
 * "编辑 / 删除" of a catalogue row (products, price books, competitors), each shown with its permission; a refused delete (in use,
 * default…) says the server's reason. Clicks do not reach the row (rows may be selectable).
 */
export function RowActions(props: { onEdit: () => void; onDelete?: () => Promise<unknown> }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const can = useCan()
  const stop = (e?: MouseEvent) => e?.stopPropagation()
  const remove = async () => {
    try {
      await props.onDelete?.()
    } catch (e) {
      message.error(errText(e))
    }
  }
  return (
    <Space size={0}>
      {can('products.edit') && (
        <Button
          type="link"
          size="small"
          onClick={(e) => {
            stop(e)
            props.onEdit()
          }}
        >
          {t('common.edit')}
        </Button>
      )}
      {props.onDelete && can('products.delete') && (
        <Popconfirm title={t('common.confirmDelete')} onConfirm={remove} onPopupClick={stop}>
          <Button type="link" size="small" danger onClick={stop}>
            {t('common.delete')}
          </Button>
        </Popconfirm>
      )}
    </Space>
  )
}
