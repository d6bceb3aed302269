import { PlusOutlined } from '@ant-design/icons'
import { Button, Card } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCan } from '../../../session.js'
import { NewQuoteModal } from '../quotes/NewQuote.js'
import { QuotesTable } from '../quotes/QuotesTable.js'
import type { Opportunity } from './api.js'

/** The quotes of this opportunity, and 新建报价. */
export function OppQuotes({ o }: { o: Opportunity }) {
  const { t } = useTranslation()
  const can = useCan()
  const [creating, setCreating] = useState(false)
  if (!can('quotes.view')) return null
  return (
    <Card
      size="small"
      extra={
        can('quotes.create') &&
        o.status === 'open' && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setCreating(true)}
            data-testid="quote-new"
          >
            {t('quotes.new.title')}
          </Button>
        )
      }
    >
      <QuotesTable filter={{ opportunityId: o.id }} compact testId="opp-quotes" />
      <NewQuoteModal opportunity={o} open={creating} onClose={() => setCreating(false)} />
    </Card>
  )
}
