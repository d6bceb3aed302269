import { ReloadOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCan } from '../../../session.js'
import { showServerErrors } from '../../pool-settings/errors.js'
import { toFen, toYuan } from '../format.js'
import { type SalesSettings, useSalesSettings } from '../opportunities/api.js'
import { errText } from '../opportunities/format.js'
import { settingsApi } from './api.js'

interface Values {
  quoteApprovalDiscountPct: number
  quoteValidDays: number
  quoteNumberPrefix: string
  orderNumberPrefix: string
  wonReasons: string[]
  lostReasons: string[]
  customerGroups: { windowDays: number; highValue: number | null; highFrequency: number | null }
}

/**
 * 销售参数: the quote approval threshold and validity, document number prefixes, won / lost
 * reasons, and the A–E customer group rule (average order value × order frequency over a window).
 */
export function Options() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const settings = useSalesSettings()
  const [form] = Form.useForm<Values>()
  const [busy, setBusy] = useState(false)
  const [recomputing, setRecomputing] = useState(false)
  const canEdit = can('opportunities.configure')
  const s = settings.data
  useEffect(() => {
    if (s)
      form.setFieldsValue({
        ...s,
        customerGroups: { ...s.customerGroups, highValue: toYuan(s.customerGroups.highValue) },
      })
  }, [s, form])

  const save = async () => {
    const v = await form.validateFields()
    setBusy(true)
    try {
      const saved = await settingsApi.patchSettings({
        ...v,
        quoteNumberPrefix: v.quoteNumberPrefix.trim(),
        orderNumberPrefix: v.orderNumberPrefix.trim(),
        wonReasons: clean(v.wonReasons),
        lostReasons: clean(v.lostReasons),
        customerGroups: {
          windowDays: v.customerGroups.windowDays,
          highValue: toFen(v.customerGroups.highValue),
          highFrequency: v.customerGroups.highFrequency ?? null,
        },
        version: s?.version ?? 0,
      })
      qc.setQueryData<SalesSettings>(['sales-settings'], saved)
      message.success(t('common.saved'))
    } catch (e) {
      showServerErrors(form, e, message)
      await qc.invalidateQueries({ queryKey: ['sales-settings'] })
    } finally {
      setBusy(false)
    }
  }
  const recompute = async () => {
    setRecomputing(true)
    try {
      await settingsApi.recomputeGroups()
      message.success(t('salesSettings.options.recomputeStarted'))
    } catch (e) {
      message.error(errText(e))
    } finally {
      setRecomputing(false)
    }
  }

  return (
    <Form form={form} layout="vertical" disabled={!canEdit} data-testid="sales-options">
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t('salesSettings.options.quotes')}
            loading={settings.isLoading}
            style={{ height: '100%' }}
          >
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item
                  name="quoteApprovalDiscountPct"
                  label={t('salesSettings.options.threshold')}
                  extra={t('salesSettings.options.thresholdHelp')}
                  rules={[{ required: true }]}
                >
                  <InputNumber
                    min={0}
                    max={100}
                    precision={2}
                    suffix="%"
                    style={{ width: '100%' }}
                    data-testid="approval-threshold"
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item
                  name="quoteValidDays"
                  label={t('salesSettings.options.validDays')}
                  rules={[{ required: true }]}
                >
                  <InputNumber
                    min={1}
                    max={365}
                    suffix={t('salesSettings.options.days')}
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item
                  name="quoteNumberPrefix"
                  label={t('salesSettings.options.quotePrefix')}
                  rules={[
                    { required: true, pattern: PREFIX, message: t('salesSettings.options.prefixRule') },
                  ]}
                >
                  <Input maxLength={10} />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item
                  name="orderNumberPrefix"
                  label={t('salesSettings.options.orderPrefix')}
                  rules={[
                    { required: true, pattern: PREFIX, message: t('salesSettings.options.prefixRule') },
                  ]}
                >
                  <Input maxLength={10} />
                </Form.Item>
              </Col>
            </Row>
            <Typography.Text type="secondary">{t('salesSettings.options.numberHelp')}</Typography.Text>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            size="small"
            title={t('salesSettings.options.reasons')}
            loading={settings.isLoading}
            style={{ height: '100%' }}
          >
            <Form.Item
              name="wonReasons"
              label={t('salesSettings.options.wonReasons')}
              extra={t('salesSettings.options.reasonsHelp')}
            >
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                tokenSeparators={[',', '，']}
                data-testid="won-reasons"
              />
            </Form.Item>
            <Form.Item name="lostReasons" label={t('salesSettings.options.lostReasons')}>
              <Select
                mode="tags"
                open={false}
                suffixIcon={null}
                tokenSeparators={[',', '，']}
                data-testid="lost-reasons"
              />
            </Form.Item>
          </Card>
        </Col>
        <Col xs={24}>
          <Card
            size="small"
            title={t('salesSettings.options.groups')}
            loading={settings.isLoading}
            extra={
              can('customers.configure') && (
                <Button icon={<ReloadOutlined />} loading={recomputing} onClick={recompute} disabled={false}>
                  {t('salesSettings.options.recompute')}
                </Button>
              )
            }
          >
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('salesSettings.options.groupsHelp')}
            />
            <Row gutter={12}>
              <Col xs={24} md={8}>
                <Form.Item
                  name={['customerGroups', 'windowDays']}
                  label={t('salesSettings.options.windowDays')}
                  rules={[{ required: true }]}
                >
                  <InputNumber
                    min={1}
                    max={3650}
                    suffix={t('salesSettings.options.days')}
                    style={{ width: '100%' }}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name={['customerGroups', 'highValue']}
                  label={t('salesSettings.options.highValue')}
                  extra={t('salesSettings.options.medianHelp')}
                >
                  <InputNumber
                    prefix="¥"
                    min={0}
                    precision={2}
                    style={{ width: '100%' }}
                    placeholder={t('salesSettings.options.median')}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item
                  name={['customerGroups', 'highFrequency']}
                  label={t('salesSettings.options.highFrequency')}
                  extra={t('salesSettings.options.medianHelp')}
                >
                  <InputNumber
                    min={1}
                    precision={0}
                    suffix={t('salesSettings.options.orders')}
                    style={{ width: '100%' }}
                    placeholder={t('salesSettings.options.median')}
                  />
                </Form.Item>
              </Col>
            </Row>
            <GroupMatrix />
          </Card>
        </Col>
      </Row>
      {canEdit && (
        <Space style={{ marginTop: 16 }}>
          <Button type="primary" onClick={save} loading={busy} data-testid="sales-options-save">
            {t('common.save')}
          </Button>
        </Space>
      )}
    </Form>
  )
}

/** The server's rule for document number prefixes. */
const PREFIX = /^[A-Za-z0-9]{1,10}$/
const clean = (xs: string[] | undefined) => [...new Set((xs ?? []).map((x) => x.trim()).filter(Boolean))]

/** Seed 001's A–E groups as a reminder of what the two thresholds split. */
function GroupMatrix() {
  const { t } = useTranslation()
  return (
    <div className="haina-group-matrix">
      {(['A', 'B', 'C', 'D', 'E'] as const).map((g) => (
        <div key={g}>
          <strong>{g}</strong> {t(`salesSettings.options.group.${g}`)}
        </div>
      ))}
    </div>
  )
}
