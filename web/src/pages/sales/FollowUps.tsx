import { CloseOutlined, PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Button } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type FollowUpSubject, FollowUpTimeline } from '../pools/FollowUpTimeline.js'
import '../pools/i18n.js'
import { QuickFollowUp } from '../pools/QuickFollowUp.js'
import './customers/i18n.js'

/**
 * Follow-ups of a customer or an opportunity with the lead pages' own components: the timeline,
 * and "record a follow-up" opening the quick follow-up form above it.
 */
export function SalesFollowUps(props: { subject: FollowUpSubject; canWrite: boolean; testId?: string }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const saved = async () => {
    setOpen(false)
    // The subject's page shows its last and next follow-up; the next one is on the calendar.
    await Promise.all(
      [['customer360'], ['opportunity'], ['calendar']].map((queryKey) => qc.invalidateQueries({ queryKey })),
    )
  }
  return (
    <div data-testid={props.testId}>
      {props.canWrite && open && (
        <div style={{ marginBottom: 16 }}>
          <QuickFollowUp
            subject={props.subject}
            onSaved={saved}
            extra={
              <Button
                type="text"
                size="small"
                icon={<CloseOutlined />}
                aria-label={t('common.cancel')}
                onClick={() => setOpen(false)}
              />
            }
          />
        </div>
      )}
      <FollowUpTimeline
        subject={props.subject}
        extra={
          props.canWrite &&
          !open && (
            <Button
              type="primary"
              size="small"
              icon={<PlusOutlined />}
              onClick={() => setOpen(true)}
              data-testid="followup-new"
            >
              {t('customers.followUp.add')}
            </Button>
          )
        }
      />
    </div>
  )
}
