import { AimOutlined, CloseOutlined, PaperClipOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import type { FormInstance, UploadFile } from 'antd'
import { App, AutoComplete, Button, Card, Form, Input, Radio, Upload } from 'antd'
import dayjs from 'dayjs'
import { type ReactNode, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors } from '../../api/client.js'
import { type Attachment, uploadAttachment } from './api.js'
import { type SubjectProps, subjectOf, TYPE_ICONS } from './FollowUpTimeline.js'
import './pools.css'
import { why } from './outcome.js'

const TYPES = [
  'call',
  'visit',
  'wechat',
  'interview',
  'business_trip',
  'sms',
  'email',
  'tender',
  'other',
] as const
const OUTCOMES = ['interested', 'quote', 'callback', 'noAnswer', 'refused'] as const

export interface FollowUpValues {
  type: string
  content: string
  outcome?: string
  nextAt?: string
  nextStep?: string
}
type Place = { lat: number; lng: number }

/**
 * The quick follow-up form: one column with big touch targets so it works on a phone at a
 * customer's door — type, what happened, outcome, the next step, a file and a check-in location.
 * For a lead (leadId) or any follow-up subject; `form` when the page fills it in too (scripts).
 */
export function QuickFollowUp(
  props: SubjectProps & {
    form?: FormInstance<FollowUpValues>
    onSaved: () => void
    /** Beside the title (a close button where the form was opened on demand). */
    extra?: ReactNode
  },
) {
  const subject = subjectOf(props)
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [ownForm] = Form.useForm<FollowUpValues>()
  const form = props.form ?? ownForm
  const [files, setFiles] = useState<UploadFile<Attachment>[]>([])
  const [place, setPlace] = useState<Place | null>(null)
  const [locating, setLocating] = useState(false)
  const [busy, setBusy] = useState(false)

  const locate = () => {
    if (!navigator.geolocation) return message.warning(t('pools.followUp.geoUnsupported'))
    setLocating(true)
    navigator.geolocation.getCurrentPosition(
      (p) => {
        setLocating(false)
        setPlace({ lat: p.coords.latitude, lng: p.coords.longitude })
      },
      (err) => {
        setLocating(false)
        message.warning(t('pools.followUp.geoFailed', { msg: err.message }))
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    )
  }

  const submit = async () => {
    const v = await form.validateFields()
    const attachments = files
      .filter((f) => f.status === 'done' && f.response)
      .map((f) => f.response as Attachment)
    setBusy(true)
    try {
      await call(
        api.POST('/api/v1/follow-ups', {
          body: {
            subjectType: subject.type,
            subjectId: subject.id,
            type: v.type as (typeof TYPES)[number],
            content: v.content.trim(),
            ...(v.outcome?.trim() ? { outcome: v.outcome.trim() } : {}),
            ...(v.nextAt ? { nextAt: dayjs(v.nextAt).toISOString() } : {}),
            ...(v.nextStep?.trim() ? { nextStep: v.nextStep.trim() } : {}),
            ...(attachments.length ? { attachments } : {}),
            ...(place ? { location: place } : {}),
          },
        }),
      )
      message.success(t('pools.followUp.saved'))
      form.resetFields()
      setFiles([])
      setPlace(null)
      await qc.invalidateQueries({ queryKey: ['follow-ups'] })
      props.onSaved()
    } catch (e) {
      const fields = formErrors(e)
      form.setFields(fields as never)
      if (!fields.length) message.error(why(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card title={t('pools.followUp.title')} size="small" extra={props.extra} data-testid="quick-followup">
      <Form form={form} layout="vertical" size="large" initialValues={{ type: 'call' }} requiredMark={false}>
        <Form.Item name="type" label={t('pools.followUp.type')}>
          <Radio.Group optionType="button" buttonStyle="solid" className="haina-followup-types">
            {TYPES.map((k) => (
              <Radio.Button key={k} value={k}>
                {TYPE_ICONS[k]} {t(`pools.followUp.types.${k}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
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
          <AutoComplete
            placeholder={t('pools.followUp.outcomePh')}
            options={OUTCOMES.map((o) => ({ value: t(`pools.followUp.outcomes.${o}`) }))}
          />
        </Form.Item>
        <Form.Item name="nextAt" label={t('pools.followUp.nextAt')}>
          {/* The native picker: a phone shows its own wheel; no popup wider than the screen. */}
          <Input type="datetime-local" min={dayjs().format('YYYY-MM-DDTHH:mm')} data-testid="next-at" />
        </Form.Item>
        <Form.Item name="nextStep" label={t('pools.followUp.nextStep')}>
          <Input maxLength={500} placeholder={t('pools.followUp.nextStepPh')} />
        </Form.Item>
        <div className="haina-followup-actions" style={{ marginBottom: 16 }}>
          <Upload<Attachment>
            fileList={files}
            onChange={(e) => setFiles(e.fileList)}
            customRequest={({ file, onSuccess, onError }) => {
              uploadAttachment(file as File).then(
                (a) => onSuccess?.(a),
                (e) => {
                  message.error(why(e))
                  onError?.(e)
                },
              )
            }}
          >
            <Button icon={<PaperClipOutlined />} block data-testid="attach">
              {t('pools.followUp.attach')}
            </Button>
          </Upload>
          {place ? (
            <Button
              icon={<CloseOutlined />}
              onClick={() => setPlace(null)}
              title={t('pools.followUp.clearLocation')}
              data-testid="location"
            >
              {t('pools.followUp.located', { lat: place.lat.toFixed(5), lng: place.lng.toFixed(5) })}
            </Button>
          ) : (
            <Button icon={<AimOutlined />} loading={locating} onClick={locate} data-testid="check-in">
              {locating ? t('pools.followUp.locating') : t('pools.followUp.checkIn')}
            </Button>
          )}
        </div>
        <Button
          type="primary"
          block
          size="large"
          loading={busy}
          disabled={files.some((f) => f.status === 'uploading')}
          onClick={submit}
          data-testid="followup-save"
        >
          {files.some((f) => f.status === 'uploading')
            ? t('pools.followUp.uploading')
            : t('pools.followUp.submit')}
        </Button>
      </Form>
    </Card>
  )
}
