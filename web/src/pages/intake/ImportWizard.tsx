import { DownloadOutlined, InboxOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  Popconfirm,
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
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call, writeHeaders } from '../../api/client.js'
import { useFieldDefs } from '../../data.js'
import './i18n.js'
import { ImportHistory } from './ImportHistory.js'
import { MAPPING_TARGETS } from './labels.js'

interface Uploaded {
  import: {
    id: string
    fileName: string
    format: string
    encoding: string | null
    sheet: string | null
    headers: string[]
    totalRows: number | null
  }
  sample: { rowNumber: number; cells: string[] }[]
  sheets: string[]
  suggestions: { header: string; column: number; target: string | null; confidence: number }[]
}
type PreviewRow = {
  rowNumber: number
  values: Record<string, unknown>
  /** `message` is the server's wording (localized) for codes this page has no label of its own for. */
  issues: { field: string; code: string; column: number | null; message?: string }[]
}

/** The CSV encodings the server reads when told to (detection picks one of them by itself). */
const ENCODINGS = ['utf-8', 'gb18030', 'big5', 'utf-16le', 'utf-16be'] as const

/** The import wizard (一键导入): upload → map columns → preview → run with progress → report. */
export function ImportPage() {
  const { t, i18n } = useTranslation()
  const lang = i18n.language
  const { message } = App.useApp()
  const qc = useQueryClient()
  const defs = useFieldDefs('lead').data?.items ?? []
  const [step, setStep] = useState(0)
  const [uploaded, setUploaded] = useState<Uploaded | null>(null)
  // Kept to read the file again when the user names the encoding detection got wrong.
  const [file, setFile] = useState<File | null>(null)
  const [mapping, setMapping] = useState<Record<string, string>>({})
  const [saveAs, setSaveAs] = useState('')
  const [preview, setPreview] = useState<PreviewRow[] | null>(null)
  const [importId, setImportId] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const saved = useQuery({
    queryKey: ['import-mappings'],
    queryFn: () => call(api.GET('/api/v1/import-mappings')),
  })

  const targets = useMemo(
    () => [
      ...MAPPING_TARGETS.map((k) => ({ value: k, label: t(`intake.field.${k}`) })),
      ...defs.map((d) => ({ value: `custom.${d.key}`, label: d.label })),
    ],
    [defs, t],
  )
  const labelOf = (target: string) => targets.find((x) => x.value === target)?.label ?? target
  const rawCell = (rowNumber: number, column: number | null) =>
    column == null
      ? ''
      : (uploaded?.sample.find((s) => s.rowNumber === rowNumber)?.cells[column] ?? '').trim()
  const issueLabel = (i: PreviewRow['issues'][number]) =>
    t(`intake.issue.${i.code}`, { defaultValue: i.message ?? i.code })
  // Problems no mapped column shows, such as a row with more or fewer cells than the header.
  const rowIssuesOf = (rows: PreviewRow[] | undefined) => {
    const shown = new Set(Object.values(mapping))
    return (rows ?? []).flatMap((r) => r.issues.filter((i) => !shown.has(i.field)))
  }

  const upload = async (file: File, encoding?: string) => {
    setBusy(true)
    try {
      const body = new FormData()
      body.append('file', file, file.name)
      setFile(file)
      const url = encoding ? `/api/v1/imports?encoding=${encodeURIComponent(encoding)}` : '/api/v1/imports'
      const res = await fetch(url, { method: 'POST', body, headers: writeHeaders() })
      const json = await res.json()
      if (!res.ok) throw new Error(json.detail ?? json.title)
      const up = json as Uploaded
      setUploaded(up)
      void qc.invalidateQueries({ queryKey: ['imports'] }) // the history lists it as not started
      setMapping(
        Object.fromEntries(up.suggestions.filter((s) => s.target).map((s) => [String(s.column), s.target!])),
      )
      setStep(1)
    } catch (e) {
      message.error((e as Error).message)
    } finally {
      setBusy(false)
    }
    return false
  }
  const applySaved = (name: string) => {
    const m = saved.data?.items.find((x) => x.name === name)
    if (!m || !uploaded) return
    setMapping(
      Object.fromEntries(
        uploaded.import.headers.flatMap((h, i) => (m.mapping[h] ? [[String(i), m.mapping[h]!]] : [])),
      ),
    )
  }
  const toPreview = async () => {
    if (!uploaded) return
    setBusy(true)
    try {
      const res = await call(
        api.POST('/api/v1/imports/{id}/preview', {
          params: { path: { id: uploaded.import.id } },
          body: { mapping, rows: uploaded.sample },
        }),
      )
      setPreview(res.rows)
      setStep(2)
    } catch (e) {
      message.error((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const start = async () => {
    if (!uploaded) return
    setBusy(true)
    try {
      await call(
        api.POST('/api/v1/imports/{id}/start', {
          params: { path: { id: uploaded.import.id } },
          body: { mapping, saveMappingAs: saveAs.trim() || null },
        }),
      )
      setImportId(uploaded.import.id)
      setStep(3)
      await qc.invalidateQueries({ queryKey: ['import-mappings'] })
      await qc.invalidateQueries({ queryKey: ['imports'] })
    } catch (e) {
      message.error((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const reset = () => {
    setStep(0)
    setUploaded(null)
    setPreview(null)
    setImportId(null)
    setMapping({})
    setSaveAs('')
  }
  const mappedTargets = Object.values(mapping)

  return (
    <>
      <Typography.Title level={4}>{t('intake.import.title')}</Typography.Title>
      <Steps
        current={step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('intake.import.stepUpload') },
          { title: t('intake.import.stepMap') },
          { title: t('intake.import.stepPreview') },
          { title: t('intake.import.stepRun') },
        ]}
      />
      {step === 0 && (
        <Card>
          <Upload.Dragger
            accept=".csv,.txt,.xlsx"
            showUploadList={false}
            beforeUpload={(f) => upload(f)}
            disabled={busy}
            data-testid="import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('intake.import.drop')}</p>
            <p className="ant-upload-hint">{t('intake.import.dropHint')}</p>
          </Upload.Dragger>
          <Space style={{ marginTop: 16 }}>
            <Button icon={<DownloadOutlined />} href="/api/v1/imports/template?format=xlsx">
              {t('intake.import.template')} (.xlsx)
            </Button>
            <Button icon={<DownloadOutlined />} href="/api/v1/imports/template?format=csv">
              {t('intake.import.template')} (.csv)
            </Button>
          </Space>
        </Card>
      )}
      {step === 1 && uploaded && (
        <Card>
          <Descriptions size="small" column={{ xs: 1, sm: 3 }} title={t('intake.import.detected')}>
            <Descriptions.Item label={t('intake.import.file')}>{uploaded.import.fileName}</Descriptions.Item>
            <Descriptions.Item label={t('intake.import.format')}>
              {uploaded.import.format.toUpperCase()}
            </Descriptions.Item>
            {uploaded.import.encoding && (
              <Descriptions.Item label={t('intake.import.encoding')}>
                <Select
                  size="small"
                  style={{ width: 240 }}
                  data-testid="import-encoding"
                  value={uploaded.import.encoding}
                  disabled={busy || !file}
                  onChange={(enc) => file && void upload(file, enc)}
                  options={ENCODINGS.map((value) => ({
                    value,
                    label: t(`intake.import.encodings.${value}`),
                  }))}
                />
              </Descriptions.Item>
            )}
            {uploaded.import.sheet && (
              <Descriptions.Item label={t('intake.import.sheet')}>{uploaded.import.sheet}</Descriptions.Item>
            )}
          </Descriptions>
          {!!saved.data?.items.length && (
            <Space style={{ margin: '8px 0 16px' }}>
              <span>{t('intake.import.savedMappings')}</span>
              <Select
                style={{ width: 220 }}
                onChange={applySaved}
                options={saved.data.items.map((m) => ({ value: m.name, label: m.name }))}
              />
            </Space>
          )}
          <Table
            rowKey="column"
            size="small"
            pagination={false}
            dataSource={uploaded.import.headers.map((header, column) => ({ header, column }))}
            scroll={{ x: 'max-content' }}
            columns={[
              { key: 'h', title: t('intake.import.column'), dataIndex: 'header' },
              {
                key: 's',
                title: t('intake.import.sample'),
                render: (_, r) => (
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 240 }}>
                    {uploaded.sample
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
                    data-testid={`map-${r.column}`}
                    onChange={(v?: string) =>
                      setMapping((m) => {
                        const next = { ...m }
                        if (v) next[String(r.column)] = v
                        else delete next[String(r.column)]
                        return next
                      })
                    }
                    options={targets.map((o) => ({
                      ...o,
                      disabled: mappedTargets.includes(o.value) && mapping[String(r.column)] !== o.value,
                    }))}
                  />
                ),
              },
            ]}
          />
          <Space style={{ marginTop: 16 }} wrap>
            <Input
              style={{ width: 260 }}
              placeholder={t('intake.import.saveAs')}
              value={saveAs}
              onChange={(e) => setSaveAs(e.target.value)}
            />
            <Button onClick={reset}>{t('intake.import.back')}</Button>
            <Button type="primary" loading={busy} onClick={toPreview} disabled={!mappedTargets.length}>
              {t('intake.import.next')}
            </Button>
          </Space>
        </Card>
      )}
      {step === 2 && uploaded && preview && (
        <Card>
          <Alert
            type="info"
            showIcon
            message={t('intake.import.previewHelp')}
            description={t('intake.import.previewSummary', {
              rows: (uploaded.import.totalRows ?? preview.length).toLocaleString(lang),
              shown: preview.length.toLocaleString(lang),
              bad: preview.filter((r) => r.issues.length).length.toLocaleString(lang),
            })}
            data-testid="preview-summary"
            style={{ marginBottom: 16 }}
          />
          <Table
            rowKey="rowNumber"
            size="small"
            pagination={false}
            dataSource={preview}
            scroll={{ x: 'max-content' }}
            columns={[
              { key: 'row', title: '#', dataIndex: 'rowNumber', width: 60 },
              ...Object.values(mapping).map((target) => ({
                key: target,
                title: labelOf(target),
                render: (_: unknown, r: PreviewRow) => {
                  const issue = r.issues.find((i) => i.field === target)
                  const v = r.values[target]
                  // What the file says, beside what is wrong with it: the user fixes the value, not the label.
                  const raw = issue ? rawCell(r.rowNumber, issue.column) : ''
                  return issue ? (
                    <Tooltip title={issue.message ?? issueLabel(issue)}>
                      <Space size={4} wrap={false}>
                        {raw && (
                          <Typography.Text delete type="secondary" data-testid="cell-raw">
                            {raw}
                          </Typography.Text>
                        )}
                        <span className="haina-cell-bad" data-testid="cell-issue">
                          {issueLabel(issue)}
                        </span>
                      </Space>
                    </Tooltip>
                  ) : (
                    <span>{v == null ? '' : String(v)}</span>
                  )
                },
              })),
              ...(rowIssuesOf(preview).length
                ? [
                    {
                      key: 'rowIssues',
                      title: t('intake.import.rowIssues'),
                      render: (_: unknown, r: PreviewRow) => (
                        <span className="haina-cell-bad" data-testid="row-issue">
                          {rowIssuesOf([r])
                            .map((i) => i.message ?? issueLabel(i))
                            .join('；')}
                        </span>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <Space style={{ marginTop: 16 }}>
            <Button onClick={() => setStep(1)}>{t('intake.import.back')}</Button>
            <Button type="primary" loading={busy} onClick={start}>
              {t('intake.import.start')}
            </Button>
          </Space>
        </Card>
      )}
      {step === 3 && importId && <ImportRun id={importId} onAgain={reset} />}
      <ImportHistory
        onOpen={(id) => {
          setImportId(id)
          setStep(3)
        }}
      />
    </>
  )
}

/** Progress while the job runs, then the report: what happened, and what to do next. */
function ImportRun({ id, onAgain }: { id: string; onAgain: () => void }) {
  const { t, i18n } = useTranslation()
  const num = (n: number) => n.toLocaleString(i18n.language)
  const qc = useQueryClient()
  const imp = useQuery({
    queryKey: ['import', id],
    queryFn: () => call(api.GET('/api/v1/imports/{id}', { params: { path: { id } } })),
    refetchInterval: (q) =>
      ['queued', 'running', 'undoing'].includes(q.state.data?.status ?? 'queued') ? 1000 : false,
  })
  const status = imp.data?.status
  // The history below polls slowly: refresh it as soon as this import finishes (or its undo does).
  useEffect(() => {
    if (status && !['queued', 'running', 'undoing'].includes(status))
      void qc.invalidateQueries({ queryKey: ['imports'] })
  }, [status, qc])
  const d = imp.data
  if (!d) return null
  const running = ['queued', 'running', 'undoing'].includes(d.status)
  // Rows the job has read (counted per committed batch). Not the checkpoint: that is a row number
  // in the file, past title rows and blank lines, and ran ahead of the total (12 / 9).
  const done = d.totalRows == null ? d.counts.rows : Math.min(d.counts.rows, d.totalRows)
  const pct = d.totalRows ? Math.min(100, Math.round((done / d.totalRows) * 100)) : 0
  const undo = async () => {
    await call(api.POST('/api/v1/imports/{id}/undo', { params: { path: { id } } }))
    await qc.invalidateQueries({ queryKey: ['import', id] })
  }
  const c = d.counts
  // What the user does next, one line per thing left to do; each links to where it is done.
  const next =
    d.status === 'completed'
      ? [
          c.review > 0 && (
            <li key="review" data-testid="next-review">
              {t('intake.import.nextReview', { n: num(c.review) })}{' '}
              <Link to="/intake/review">{t('intake.import.toReview')}</Link>
            </li>
          ),
          c.invalid > 0 && (
            <li key="invalid" data-testid="next-invalid">
              {t('intake.import.nextInvalid', { n: num(c.invalid) })}{' '}
              <a href={`/api/v1/imports/${id}/errors.csv`}>{t('intake.import.errorsFile')}</a>
            </li>
          ),
          c.created + c.merged > 0 && (
            <li key="leads" data-testid="next-leads">
              {t('intake.import.nextLeads', { created: num(c.created), merged: num(c.merged) })}{' '}
              <Link to="/leads">{t('intake.import.toLeads')}</Link>
            </li>
          ),
          <li key="undo">{t('intake.import.nextUndo')}</li>,
        ].filter(Boolean)
      : []
  return (
    <Card style={{ marginBottom: 24 }} data-testid="import-report">
      {running ? (
        <>
          <Typography.Paragraph>
            {t(d.status === 'undoing' ? 'intake.import.undoing' : 'intake.import.running')}
          </Typography.Paragraph>
          <Progress percent={pct} status="active" data-testid="import-progress" />
          <Typography.Text type="secondary" data-testid="import-progress-rows">
            {t('intake.import.progressRows', {
              done: num(done),
              total: d.totalRows == null ? '…' : num(d.totalRows),
            })}
          </Typography.Text>
        </>
      ) : (
        <Result
          status={d.status === 'completed' ? 'success' : d.status === 'undone' ? 'info' : 'error'}
          title={
            d.status === 'completed'
              ? t('intake.import.done')
              : d.status === 'undone'
                ? t('intake.import.undone')
                : t('intake.import.failed')
          }
          subTitle={d.error ?? `${d.fileName} · ${t('intake.import.rowsN', { n: num(c.rows) })}`}
          extra={[
            c.invalid > 0 && (
              <Button key="err" icon={<DownloadOutlined />} href={`/api/v1/imports/${id}/errors.csv`}>
                {t('intake.import.errorsFile')}
              </Button>
            ),
            d.status === 'completed' && c.review > 0 && (
              <Link key="review" to="/intake/review">
                <Button>{t('intake.import.toReviewN', { n: num(c.review) })}</Button>
              </Link>
            ),
            d.status === 'completed' && (
              <Popconfirm key="undo" title={t('intake.import.confirmUndo')} onConfirm={undo}>
                <Button danger>{t('intake.import.undo')}</Button>
              </Popconfirm>
            ),
            <Button key="again" type="primary" onClick={onAgain}>
              {t('intake.import.again')}
            </Button>,
          ]}
        >
          {next.length > 0 && (
            <div data-testid="import-next">
              <Typography.Text strong>{t('intake.import.nextTitle')}</Typography.Text>
              <ul style={{ margin: '8px 0 0', paddingInlineStart: 20 }}>{next}</ul>
            </div>
          )}
        </Result>
      )}
      <Space size="large" wrap style={{ justifyContent: 'center', width: '100%' }}>
        {(['created', 'merged', 'duplicate', 'review', 'invalid'] as const).map((k) => (
          <Statistic key={k} title={t(`intake.outcome.${k}`)} value={d.counts[k]} />
        ))}
      </Space>
    </Card>
  )
}
