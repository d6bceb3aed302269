import { DownloadOutlined, InboxOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Progress,
  Result,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  Tooltip,
  Typography,
  Upload,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import '../../intake/i18n.js'
import { why } from '../../pools/outcome.js'
import { useFormat } from '../format.js'
import { type ImportPreview, type ImportUpload, ordersApi, uploadImport } from './api.js'
import './i18n.js'

/** The order fields a column can fill (the server's import targets). */
const ORDER_TARGETS = [
  'orderNo',
  'orderedAt',
  'status',
  'customerName',
  'creditCode',
  'contactName',
  'mobile',
  'sku',
  'productName',
  'quantity',
  'unitPrice',
  'lineDiscount',
  'lineAmount',
  'shippingFee',
  'orderDiscount',
  'paidAmount',
  'shippingAddress',
  'notes',
] as const
/** Targets read as money (minor units). */
const MONEY = new Set([
  'unitPrice',
  'lineDiscount',
  'lineAmount',
  'shippingFee',
  'orderDiscount',
  'paidAmount',
])
/** What the report counts: rows read, orders created, already imported, refused. */
const COUNTS = ['rows', 'created', 'duplicate', 'invalid'] as const

const RUNNING = ['queued', 'running']

/**
 * Order import (e-commerce history): upload → map columns (with the server's suggestions) →
 * preview → start → progress → counts and the file of rows that did not go in. The strings of
 * the lead import wizard are reused.
 */
export function OrderImportPage() {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const fmt = useFormat()
  const [step, setStep] = useState(0)
  const [up, setUp] = useState<ImportUpload | null>(null)
  const [mapping, setMapping] = useState<Record<string, string>>({})
  const [preview, setPreview] = useState<ImportPreview['rows'] | null>(null)
  const [busy, setBusy] = useState(false)
  const [createCustomers, setCreateCustomers] = useState(true)

  const targets = ORDER_TARGETS.map((k) => ({ value: k, label: t(`orders.importField.${k}`) }))
  /** A read value as it will be stored: money in 分 as ¥, times in the workspace's zone. */
  const cell = (target: string, v: unknown) =>
    v == null || v === ''
      ? ''
      : MONEY.has(target) && typeof v === 'number'
        ? fmt.money(v)
        : target === 'orderedAt'
          ? fmt.dateTime(String(v))
          : String(v)
  const labelOf = (k: string) => targets.find((x) => x.value === k)?.label ?? k
  const used = Object.values(mapping)

  /** Runs one step of the wizard: busy while it runs, the server's message if it fails. */
  const runStep = async (work: () => Promise<void>) => {
    setBusy(true)
    try {
      await work()
    } catch (e) {
      message.error(why(e))
    } finally {
      setBusy(false)
    }
  }
  const upload = (file: File) => {
    void runStep(async () => {
      const u = await uploadImport(file)
      setUp(u)
      setMapping(
        Object.fromEntries(
          u.suggestions.filter((s) => s.target).map((s) => [String(s.column), s.target as string]),
        ),
      )
      setStep(1)
    })
    return false
  }
  const toPreview = () =>
    runStep(async () => {
      setPreview((await ordersApi.importPreview(up?.id ?? '', mapping, up?.sample ?? [])).rows)
      setStep(2)
    })
  const start = () =>
    runStep(async () => {
      await ordersApi.importStart(up?.id ?? '', { mapping, createCustomers, source: 'ecommerce' })
      setStep(3)
    })
  const reset = () => {
    setStep(0)
    setUp(null)
    setPreview(null)
    setMapping({})
  }

  return (
    <>
      <Typography.Title level={4}>{t('salesMenu.orderImport')}</Typography.Title>
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={['stepUpload', 'stepMap', 'stepPreview', 'stepRun'].map((k) => ({
          title: t(`intake.import.${k}`),
        }))}
      />
      {step === 0 && (
        <Card>
          <Upload.Dragger
            accept=".csv,.txt,.xlsx"
            showUploadList={false}
            beforeUpload={upload}
            disabled={busy}
            data-testid="order-import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('intake.import.drop')}</p>
            <p className="ant-upload-hint">{t('orders.import.hint')}</p>
          </Upload.Dragger>
          <Space style={{ marginTop: 16 }} wrap>
            {['xlsx', 'csv'].map((f) => (
              <Button
                key={f}
                icon={<DownloadOutlined />}
                href={`/api/v1/orders/imports/template?format=${f}`}
              >
                {t('intake.import.template')} (.{f})
              </Button>
            ))}
          </Space>
        </Card>
      )}
      {step === 1 && up && (
        <Card>
          <Table
            rowKey="column"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={up.headers.map((header, column) => ({ header, column }))}
            columns={[
              { key: 'h', title: t('intake.import.column'), dataIndex: 'header' },
              {
                key: 's',
                title: t('intake.import.sample'),
                render: (_, r) => (
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 240 }}>
                    {(up.sample ?? [])
                      .slice(0, 3)
                      .map((s) => s.cells[r.column])
                      .filter(Boolean)
                      .join(' · ')}
                  </Typography.Text>
                ),
              },
              {
                key: 't',
                title: t('intake.import.target'),
                render: (_, r) => (
                  <Select
                    style={{ width: 220 }}
                    allowClear
                    placeholder={t('intake.import.skip')}
                    value={mapping[String(r.column)]}
                    data-testid={`order-map-${r.column}`}
                    onChange={(v?: string) =>
                      setMapping((m) => {
                        const { [String(r.column)]: _, ...rest } = m
                        return v ? { ...rest, [String(r.column)]: v } : rest
                      })
                    }
                    options={targets.map((o) => ({
                      ...o,
                      disabled: used.includes(o.value) && mapping[String(r.column)] !== o.value,
                    }))}
                  />
                ),
              },
            ]}
          />
          <Space style={{ marginTop: 16 }}>
            <Button onClick={reset}>{t('intake.import.back')}</Button>
            <Button
              type="primary"
              loading={busy}
              onClick={toPreview}
              disabled={!used.length}
              data-testid="order-import-preview"
            >
              {t('intake.import.next')}
            </Button>
          </Space>
        </Card>
      )}
      {step === 2 && preview && (
        <Card>
          <Alert type="info" showIcon title={t('orders.import.previewHelp')} style={{ marginBottom: 16 }} />
          <Table
            rowKey="rowNumber"
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            dataSource={preview}
            columns={[
              { key: 'row', title: '#', dataIndex: 'rowNumber', width: 60 },
              ...used.map((target) => ({
                key: target,
                title: labelOf(target),
                render: (_: unknown, r: ImportPreview['rows'][number]) => {
                  const issue = r.issues.find((i) => i.field === target)
                  const v = r.values[target]
                  if (!issue) return cell(target, v)
                  const text = t(`orders.issue.${issue.code}`, {
                    defaultValue: t(`intake.issue.${issue.code}`, { defaultValue: issue.code }),
                  })
                  return (
                    <Tooltip title={text}>
                      <span className="haina-cell-bad">{text}</span>
                    </Tooltip>
                  )
                },
              })),
            ]}
          />
          <Space style={{ marginTop: 16 }} wrap>
            <Checkbox checked={createCustomers} onChange={(e) => setCreateCustomers(e.target.checked)}>
              {t('orders.import.createCustomers')}
            </Checkbox>
            <Button onClick={() => setStep(1)}>{t('intake.import.back')}</Button>
            <Button type="primary" loading={busy} onClick={start} data-testid="order-import-start">
              {t('intake.import.start')}
            </Button>
          </Space>
        </Card>
      )}
      {step === 3 && up && <ImportProgress id={up.id} onAgain={reset} />}
    </>
  )
}

/** The job's progress, then its counts and the error file. */
function ImportProgress({ id, onAgain }: { id: string; onAgain: () => void }) {
  const { t } = useTranslation()
  const run = useQuery({
    queryKey: ['order-import', id],
    queryFn: () => ordersApi.importGet(id),
    refetchInterval: (q) => (RUNNING.includes(q.state.data?.status ?? 'queued') ? 1000 : false),
  })
  const d = run.data
  if (!d) return null
  const done = Math.max(0, d.checkpointRow - 1)
  const pct = d.totalRows ? Math.round((done / d.totalRows) * 100) : 0
  return (
    <Card data-testid="order-import-report">
      {RUNNING.includes(d.status) ? (
        <>
          <Typography.Paragraph>{t('intake.import.running')}</Typography.Paragraph>
          <Progress percent={pct} status="active" />
          <Typography.Text type="secondary">
            {done} / {d.totalRows ?? '…'} {t('intake.import.rows')}
          </Typography.Text>
        </>
      ) : (
        <Result
          status={d.status === 'completed' ? 'success' : 'error'}
          title={d.status === 'completed' ? t('intake.import.done') : t('intake.import.failed')}
          subTitle={d.error ?? undefined}
          extra={[
            d.counts.invalid + d.counts.duplicate > 0 && (
              <Button
                key="err"
                icon={<DownloadOutlined />}
                href={`/api/v1/orders/imports/${id}/errors`}
                data-testid="order-import-errors"
              >
                {t('intake.import.errorsFile')}
              </Button>
            ),
            <Button key="again" type="primary" onClick={onAgain}>
              {t('intake.import.again')}
            </Button>,
          ]}
        />
      )}
      <Space size="large" wrap style={{ justifyContent: 'center', width: '100%' }}>
        {COUNTS.map((k) => (
          <Statistic key={k} title={t(`orders.importCount.${k}`)} value={d.counts[k]} />
        ))}
      </Space>
    </Card>
  )
}
