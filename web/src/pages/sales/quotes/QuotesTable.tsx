import { WarningOutlined } from '@ant-design/icons'
import { Tag, Tooltip } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { PagedTable, rowsOf, usePaged } from '../customers/PagedTable.js'
import { useFormat } from '../format.js'
import { QUOTE_COLORS, type QuoteRow, quotesApi } from './api.js'
import './i18n.js'

/**
 * Quotes matching `filter` (and the text `q`), newest first, with "load more"; the server names
 * each one's customer and deal and flags the discounts over the approval threshold. `compact`
 * leaves out customer and deal.
 */
export function QuotesTable(props: {
  filter: Record<string, unknown>
  q?: string
  /** Keeps only the rows it accepts (the approval inbox leaves out the caller's own submissions). */
  keep?: (q: QuoteRow) => boolean
  compact?: boolean
  testId?: string
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const list = usePaged<QuoteRow>(['quotes', props.filter, props.q], (cursor) =>
    quotesApi.list({ filter: props.filter, q: props.q, cursor }),
  )
  const rows = props.keep ? rowsOf(list).filter(props.keep) : undefined
  const columns: ColumnsType<QuoteRow> = [
    {
      key: 'number',
      title: t('quotes.field.number'),
      render: (_, q) => (
        <Link to={`/quotes/${q.id}`}>
          {q.number}
          {q.revision > 1 ? ` v${q.revision}` : ''}
        </Link>
      ),
    },
    { key: 'title', title: t('quotes.field.title'), dataIndex: 'title' },
    ...(props.compact
      ? []
      : [
          {
            key: 'customer',
            title: t('quotes.field.customer'),
            render: (_: unknown, q: QuoteRow) => (
              <Link to={`/customers/${q.customerId}`}>{q.customerName ?? '—'}</Link>
            ),
          },
          {
            key: 'opportunity',
            title: t('quotes.field.opportunity'),
            render: (_: unknown, q: QuoteRow) => (
              <Link to={`/opportunities/${q.opportunityId}`}>{q.opportunityName ?? '—'}</Link>
            ),
          },
        ]),
    {
      key: 'status',
      title: t('quotes.field.status'),
      render: (_, q) => <Tag color={QUOTE_COLORS[q.status]}>{t(`quotes.status.${q.status}`)}</Tag>,
    },
    { key: 'total', title: t('quotes.field.total'), align: 'right', render: (_, q) => fmt.money(q.total) },
    {
      key: 'discount',
      title: t('quotes.field.maxDiscount'),
      align: 'right',
      render: (_, q) => {
        return q.needsApproval ? (
          <Tooltip title={t('quotes.needsApproval')}>
            <span className="haina-overdue">
              <WarningOutlined /> {q.maxDiscountPct}%
            </span>
          </Tooltip>
        ) : (
          `${q.maxDiscountPct}%`
        )
      },
    },
    { key: 'validUntil', title: t('quotes.field.validUntil'), render: (_, q) => fmt.date(q.validUntil) },
    {
      key: 'createdAt',
      title: t('quotes.field.createdAt'),
      render: (_, q) => fmt.date(q.createdAt),
    },
  ]
  return (
    <PagedTable
      query={list}
      rows={rows}
      columns={columns}
      empty={t('quotes.empty')}
      testId={props.testId ?? 'quotes-table'}
    />
  )
}
