import { App, Button, Card, Col, Form, Input, Progress, Row, Select, Space, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { showServerErrors } from '../../pool-settings/errors.js'
import { type Contact, type Meddic, type Opportunity, salesApi } from './api.js'
import {
  isConflict,
  MEDDIC_KEYS,
  MEDDIC_LETTER,
  type MeddicKey,
  meddicFilled,
  meddicScore,
} from './format.js'

const WITH_CONTACT: Partial<Record<MeddicKey, 'economicBuyerContactId' | 'championContactId'>> = {
  economicBuyer: 'economicBuyerContactId',
  champion: 'championContactId',
}

/**
 * MEDDIC qualification: one text per letter, a contact of the customer for the economic buyer and
 * the champion, and the completeness score as it will be saved (filled letters × 100 / 6).
 */
export function MeddicForm(props: {
  o: Opportunity
  contacts: Contact[]
  canEdit: boolean
  onSaved: () => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm<Meddic>()
  const [busy, setBusy] = useState(false)
  const values = Form.useWatch([], form) as Meddic | undefined
  const live = values ? meddicScore(values as Record<string, unknown>) : props.o.meddicScore
  useEffect(() => form.setFieldsValue(props.o.meddic ?? {}), [props.o, form])

  const save = async () => {
    const v = await form.validateFields()
    const meddic = Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x.trim() || null : (x ?? null)]),
    )
    setBusy(true)
    try {
      await salesApi.patch(props.o.id, { meddic, version: props.o.version })
      message.success(t('common.saved'))
      props.onSaved()
    } catch (e) {
      if (isConflict(e)) {
        message.warning(t('opps.move.conflict'))
        props.onSaved()
      } else {
        // The server names `meddic.champion`; the form holds `champion`.
        showServerErrors(form, e, message, (n) => (n[0] === 'meddic' ? n.slice(1) : n))
      }
    } finally {
      setBusy(false)
    }
  }

  const contactOptions = props.contacts.map((c) => ({
    value: c.id,
    label: c.title ? `${c.name}（${c.title}）` : c.name,
  }))
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={17}>
        <Card size="small">
          <Form form={form} layout="vertical" disabled={!props.canEdit} data-testid="meddic-form">
            <Row gutter={16}>
              {MEDDIC_KEYS.map((k) => (
                <Col xs={24} md={12} key={k}>
                  <Form.Item
                    name={k}
                    label={
                      <Space size={6}>
                        <Tag color="blue" style={{ marginInlineEnd: 0 }}>
                          {MEDDIC_LETTER[k]}
                        </Tag>
                        {t(`opps.meddic.${k}`)}
                      </Space>
                    }
                    extra={t(`opps.meddic.help.${k}`)}
                  >
                    <Input.TextArea
                      autoSize={{ minRows: 2, maxRows: 6 }}
                      maxLength={2000}
                      data-testid={`meddic-${k}`}
                    />
                  </Form.Item>
                  {WITH_CONTACT[k] && (
                    <Form.Item name={WITH_CONTACT[k]} label={t(`opps.meddic.${k}Contact`)}>
                      <Select
                        allowClear
                        showSearch
                        optionFilterProp="label"
                        options={contactOptions}
                        notFoundContent={t('opps.meddic.noContacts')}
                        data-testid={`meddic-${k}-contact`}
                      />
                    </Form.Item>
                  )}
                </Col>
              ))}
            </Row>
            {props.canEdit && (
              <Button type="primary" onClick={save} loading={busy} data-testid="meddic-save">
                {t('common.save')}
              </Button>
            )}
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={7}>
        <Card size="small" title={t('opps.meddic.completeness')}>
          <div style={{ textAlign: 'center', marginBottom: 12 }}>
            <Progress type="circle" percent={live} size={120} data-testid="meddic-score" />
          </div>
          {MEDDIC_KEYS.map((k) => {
            const done = meddicFilled(values as Record<string, unknown>, k)
            return (
              <div key={k} className="haina-opp-card-row" style={{ padding: '4px 0' }}>
                <span>
                  <Tag color={done ? 'green' : 'default'}>{MEDDIC_LETTER[k]}</Tag>
                  {t(`opps.meddic.${k}`)}
                </span>
                <Typography.Text type={done ? 'success' : 'secondary'}>
                  {done ? t('opps.meddic.filled') : t('opps.meddic.missing')}
                </Typography.Text>
              </div>
            )
          })}
        </Card>
      </Col>
    </Row>
  )
}
