import { CheckCircleFilled, SwapOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import { Button, Space, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { ApiError } from '../../../api/client.js'
import { useCan } from '../../../session.js'
import { conversionApi } from './api.js'
import { ConvertLeadModal } from './ConvertLeadModal.js'
import './i18n.js'

/**
 * On the lead page: "转化为客户", or — once converted (GET /leads/:id/conversion) — a link to the
 * customer it became.
 */
export function LeadConversion({ leadId }: { leadId: string }) {
  const { t } = useTranslation()
  const can = useCan()
  const [open, setOpen] = useState(false)
  const conversion = useQuery({
    queryKey: ['lead-conversion', leadId],
    // 404: not converted yet.
    queryFn: () =>
      conversionApi.get(leadId).catch((e) => {
        if (e instanceof ApiError && e.status === 404) return null
        throw e
      }),
    enabled: can('customers.view'),
    retry: false,
  })
  const c = conversion.data
  return (
    <>
      {c ? (
        <Space size={4} data-testid="lead-converted">
          <Tag icon={<CheckCircleFilled />} color="success">
            {t('customers.convert.converted')}
          </Tag>
          <Link to={`/customers/${c.customerId}`}>
            {c.customerName ?? t('customers.convert.openCustomer')}
          </Link>
          {c.opportunityId && (
            <Link to={`/opportunities/${c.opportunityId}`}>{t('customers.convert.openOpportunity')}</Link>
          )}
        </Space>
      ) : (
        !conversion.isLoading &&
        can('customers.create') && (
          <Button
            type="primary"
            icon={<SwapOutlined />}
            onClick={() => setOpen(true)}
            data-testid="lead-convert"
          >
            {t('customers.convert.action')}
          </Button>
        )
      )}
      {/* Stays open after converting, to show where the lead went. */}
      <ConvertLeadModal leadId={leadId} open={open} onClose={() => setOpen(false)} />
    </>
  )
}
