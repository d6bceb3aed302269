import { CommentOutlined, PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  AutoComplete,
  Avatar,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  List,
  Modal,
  Radio,
  Space,
  Tag,
} from 'antd'
import type { Dayjs } from 'dayjs'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../../api/client.js'
import type { paths } from '../../../api/schema'
import { type FollowUp, useNameOf } from '../../pools/api.js'
import { TYPE_ICONS } from '../../pools/FollowUpTimeline.js'
import '../../pools/i18n.js'
import '../../pools/pools.css'
import { useFormat } from './format.js'
import { useSubmit } from './useSubmit.js'

// The follow-up model of the lead pages (/api/v1/follow-ups) on any of its subjects: a customer here;
// an opportunity or a lead would use it the same way.
const OUTCOMES = ['interested', 'quote', 'callback', 'noAnswer', 'refused'] as const

type FollowUpBody = NonNullable<
  paths['/api/v1/follow-ups']['post']['requestBody']
>['content']['application/json']
type Subject = { type: FollowUpBody['subjectType']; id: string }
export const followUpsKey = (s: Subject) => ['follow-ups', s.type, s.id]

interface Values {
  type: FollowUpBody['type']
  content: string
  outcome?: string
  nextAt?: Dayjs | null
  nextStep?: string
}

/** The follow-ups of a subject, newest first, with "record a follow-up". */
export function SubjectFollowUps({ subject, canWrite }: { subject: Subject; canWrite: boolean }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const nameOf = useNameOf()
  const [open, setOpen] = useState(false)
  const list = useQuery({
    queryKey: followUpsKey(subject),
    queryFn: async () =>
      (
        await call(
          api.GET('/api/v1/follow-ups', {
            params: { query: { subjectType: subject.type, subjectId: subject.id, limit: 100 } },
          }),
        )
      ).items as FollowUp[],
  })
  return (
    <Card
      size="small"
      title={t('pools.timeline.title')}
      loading={list.isLoading}
      data-testid="customer-followups"
      extra={
        canWrite && (
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
    >
      {list.data?.length ? (
        <List
          itemLayout="horizontal"
          dataSource={list.data}
          renderItem={(f) => (
            <List.Item data-testid="followup-item">
              <List.Item.Meta
                avatar={
                  <Avatar
                    icon={TYPE_ICONS[f.type] ?? <CommentOutlined />}
                    style={{ background: '#e6f4ff', color: '#1668dc' }}
                  />
                }
                title={
                  <Space size={8} wrap>
                    <Tag color="blue">{t(`pools.followUp.types.${f.type}`, { defaultValue: f.type })}</Tag>
                    <span className="haina-muted">{fmt.dateTime(f.occurredAt)}</span>
                    {nameOf(f.ownerId, f.authorName) && (
                      <span className="haina-muted">
                        {t('pools.timeline.by', { name: nameOf(f.ownerId, f.authorName) })}
                      </span>
                    )}
                    {f.outcome && <Tag color="green">{f.outcome}</Tag>}
                  </Space>
                }
                description={
                  <>
                    <div className="haina-followup-item" style={{ color: 'rgba(0, 0, 0, 0.88)' }}>
                      {f.content}
                    </div>
                    {(f.nextAt || f.nextStep) && (
                      <div className="haina-followup-meta">
                        {t('pools.timeline.next')}
                        {f.nextAt ? `${fmt.dateTime(f.nextAt)} ` : ''}
                        {f.nextStep}
                      </div>
                    )}
                  </>
                }
              />
            </List.Item>
          )}
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('pools.timeline.empty')} />
      )}
      <FollowUpModal subject={subject} open={open} onClose={() => setOpen(false)} />
    </Card>
  )
}

function FollowUpModal(props: { subject: Subject; open: boolean; onClose: () => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<Values>()
  const save = useSubmit(form)
  const submit = () =>
    save.submit(async (v) => {
      await call(
        api.POST('/api/v1/follow-ups', {
          body: {
            subjectType: props.subject.type,
            subjectId: props.subject.id,
            type: v.type,
            content: v.content.trim(),
            ...(v.outcome?.trim() ? { outcome: v.outcome.trim() } : {}),
            ...(v.nextAt ? { nextAt: v.nextAt.toISOString() } : {}),
            ...(v.nextStep?.trim() ? { nextStep: v.nextStep.trim() } : {}),
          },
        }),
      )
      message.success(t('pools.followUp.saved'))
      form.resetFields()
      props.onClose()
      await qc.invalidateQueries({ queryKey: followUpsKey(props.subject) })
      // The subject's page shows its last and next follow-up.
      await qc.invalidateQueries({ queryKey: ['customer360'] })
      await qc.invalidateQueries({ queryKey: ['calendar'] })
    })
  return (
    <Modal
      open={props.open}
      title={t('customers.followUp.add')}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={save.busy}
      okText={t('pools.followUp.submit')}
      okButtonProps={{ 'data-testid': 'followup-save' }}
      forceRender
    >
      <Form form={form} layout="vertical" initialValues={{ type: 'call' }} requiredMark={false}>
        <Form.Item name="type" label={t('pools.followUp.type')}>
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            className="haina-followup-types"
            options={Object.keys(TYPE_ICONS).map((k) => ({
              value: k,
              label: t(`pools.followUp.types.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="content"
          label={t('pools.followUp.content')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={5000}
            placeholder={t('pools.followUp.contentPh')}
          />
        </Form.Item>
        <Form.Item name="outcome" label={t('pools.followUp.outcome')}>
          <AutoComplete options={OUTCOMES.map((o) => ({ value: t(`pools.followUp.outcomes.${o}`) }))} />
        </Form.Item>
        <Form.Item name="nextAt" label={t('pools.followUp.nextAt')}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="nextStep" label={t('pools.followUp.nextStep')}>
          <Input maxLength={500} placeholder={t('pools.followUp.nextStepPh')} />
        </Form.Item>
      </Form>
    </Modal>
  )
}
