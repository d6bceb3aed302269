import { App, Button, Card, Space, Typography } from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Opportunity, salesApi, usePriceBook, usePriceBooks, useProducts } from './api.js'
import { errText, isConflict } from './format.js'
import { type EditLine, fromEditLines, LineEditor, toEditLines } from './LineEditor.js'

/** Price book prices by product, for a line editor. */
export function usePrices(priceBookId: string | null | undefined) {
  const books = usePriceBooks().data ?? []
  const id = priceBookId ?? books.find((b) => b.isDefault)?.id
  const book = usePriceBook(id).data
  const prices = useMemo(() => new Map((book?.entries ?? []).map((e) => [e.productId, e.unitPrice])), [book])
  return { book, prices }
}

/** The opportunity's products (PUT /opportunities/:id/lines); the amount follows their total. */
export function OppLines(props: { o: Opportunity; canEdit: boolean; onSaved: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const products = useProducts().data ?? []
  const { book, prices } = usePrices(props.o.priceBookId)
  const [lines, setLines] = useState<EditLine[]>(() => toEditLines(props.o.lines))
  const [dirty, setDirty] = useState(false)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    setLines(toEditLines(props.o.lines))
    setDirty(false)
  }, [props.o])

  const save = async () => {
    if (lines.some((l) => !l.name.trim())) return message.error(t('opps.lines.nameRequired'))
    setBusy(true)
    try {
      await salesApi.lines(props.o.id, { lines: fromEditLines(lines), version: props.o.version })
      message.success(t('common.saved'))
      props.onSaved()
    } catch (e) {
      if (!isConflict(e)) return void message.error(errText(e))
      message.warning(t('opps.move.conflict'))
      props.onSaved()
    } finally {
      setBusy(false)
    }
  }
  return (
    <Card
      size="small"
      title={
        book ? (
          <Typography.Text type="secondary">{t('opps.lines.priceBook', { name: book.name })}</Typography.Text>
        ) : null
      }
      extra={
        props.canEdit && (
          <Space>
            <Button
              disabled={!dirty}
              onClick={() => {
                setLines(toEditLines(props.o.lines))
                setDirty(false)
              }}
            >
              {t('common.reset')}
            </Button>
            <Button type="primary" onClick={save} loading={busy} disabled={!dirty} data-testid="lines-save">
              {t('common.save')}
            </Button>
          </Space>
        )
      }
    >
      <LineEditor
        value={lines}
        onChange={(l) => {
          setLines(l)
          setDirty(true)
        }}
        products={products}
        prices={prices}
        disabled={!props.canEdit}
      />
    </Card>
  )
}
