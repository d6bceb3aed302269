import { Col, Form, Row } from 'antd'
import { FollowUpTimeline } from './FollowUpTimeline.js'
import { useLeadRefresh } from './LeadPoolPanel.js'
import { type FollowUpValues, QuickFollowUp } from './QuickFollowUp.js'
import { SuggestedScripts } from './SuggestedScripts.js'

/** On the lead page: the quick follow-up form with suggested scripts beside it, then the timeline. */
export function LeadFollowUps(props: { leadId: string; status?: string; canWrite: boolean }) {
  const [form] = Form.useForm<FollowUpValues>()
  const refresh = useLeadRefresh(props.leadId)
  return (
    <>
      {props.canWrite && (
        <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
          <Col xs={24} lg={14}>
            <QuickFollowUp leadId={props.leadId} form={form} onSaved={refresh} />
          </Col>
          <Col xs={24} lg={10}>
            <SuggestedScripts
              leadId={props.leadId}
              status={props.status}
              onUse={(body) => {
                const now = form.getFieldValue('content') as string | undefined
                form.setFieldValue('content', now ? `${now}\n${body}` : body)
              }}
            />
          </Col>
        </Row>
      )}
      <FollowUpTimeline leadId={props.leadId} />
    </>
  )
}
