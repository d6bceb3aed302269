import { useQuery } from '@tanstack/react-query'
import { Badge, Checkbox, Input, Select, Tabs, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useSearchParams } from 'react-router'
import { useCan, useMe } from '../../../session.js'
import { useSalesSettings } from '../opportunities/api.js'
import '../opportunities/sales.css'
import { QUOTE_STATUSES, type QuoteRow, quotesApi } from './api.js'
import './i18n.js'
import { QuotesTable } from './QuotesTable.js'

/**
 * 报价: every quote in the caller's scope (status, "needs approval" and text filters) and, for
 * approvers, an inbox of the quotes waiting for their decision.
 */
export function QuotesPage() {
  const { t } = useTranslation()
  const can = useCan()
  const me = useMe().data?.user?.id
  const [params, setParams] = useSearchParams()
  const tab = params.get('tab') === 'approvals' && can('quotes.approve') ? 'approvals' : 'all'
  const [status, setStatus] = useState<string>()
  const [q, setQ] = useState('')
  const [needsApproval, setNeedsApproval] = useState(false)
  const threshold = useSalesSettings().data?.quoteApprovalDiscountPct
  const inbox = { status: 'pending_approval' }
  const waiting = useQuery({
    queryKey: ['quotes', inbox, 'count'],
    queryFn: () => quotesApi.list({ filter: inbox, limit: 100 }),
    enabled: can('quotes.approve'),
  })
  // "Needs approval" is a server filter: the largest discount above the workspace threshold.
  const filter: Record<string, unknown> = {
    status,
    ...(needsApproval && threshold !== undefined ? { maxDiscountPct: { gt: threshold } } : {}),
  }
  const all = (
    <>
      <div className="haina-toolbar" data-testid="quote-filters">
        <Input.Search allowClear placeholder={t('quotes.search')} style={{ width: 220 }} onSearch={setQ} />
        <Select
          allowClear
          placeholder={t('quotes.field.status')}
          style={{ width: 150 }}
          value={status}
          onChange={setStatus}
          options={QUOTE_STATUSES.map((s) => ({ value: s, label: t(`quotes.status.${s}`) }))}
        />
        <Checkbox
          checked={needsApproval}
          disabled={threshold === undefined}
          onChange={(e) => setNeedsApproval(e.target.checked)}
        >
          {t('quotes.needsApprovalFilter', { pct: threshold ?? '—' })}
        </Checkbox>
      </div>
      <QuotesTable filter={filter} q={q} />
    </>
  )
  // Nobody approves their own quote: the inbox leaves those out.
  const mine = (q: QuoteRow) => !!me && q.submittedBy === me
  const count = (waiting.data?.items ?? []).filter((q) => !mine(q)).length
  return (
    <>
      <Typography.Title level={4}>{t('quotes.title')}</Typography.Title>
      {can('quotes.approve') ? (
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === 'all' ? {} : { tab: k }, { replace: true })}
          items={[
            { key: 'all', label: t('quotes.tabs.all'), children: all },
            {
              key: 'approvals',
              label: (
                <span data-testid="quote-inbox-tab">
                  {t('quotes.tabs.approvals')} <Badge count={count} size="small" overflowCount={99} />
                </span>
              ),
              children: <QuotesTable filter={inbox} keep={(q) => !mine(q)} testId="quote-inbox" />,
            },
          ]}
        />
      ) : (
        all
      )}
    </>
  )
}
