import {
  ArrowLeftOutlined,
  DeleteOutlined,
  DownloadOutlined,
  ReloadOutlined,
  SaveOutlined,
} from '@ant-design/icons'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  Popconfirm,
  Result,
  Row,
  Skeleton,
  Switch,
  Tabs,
  Typography,
} from 'antd'
import { useCallback, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { ApiError } from '../../../api/client.js'
import { useCan } from '../../../session.js'
import { useFormat } from '../../sales/format.js'
import { type ConditionError, ConditionTree } from '../conditions/ConditionTree.js'
import { asRoot, type ConditionGroup } from '../conditions/types.js'
import { Analytics } from './Analytics.js'
import { exportUrl, type Segment, type SegmentKind, segmentsApi } from './api.js'
import { CountPanel } from './CountPanel.js'
import { Members } from './Members.js'
import { KindTag } from './SegmentsList.js'
import './i18n.js'

/** /segments/new?kind=dynamic|static opens the builder for a new segment; /segments/:id a saved one. */
export function SegmentPage() {
  const { t } = useTranslation()
  const { id = 'new' } = useParams()
  const [params] = useSearchParams()
  const isNew = id === 'new'
  const seg = useQuery({ queryKey: ['segments', id], queryFn: () => segmentsApi.get(id), enabled: !isNew })
  if (!isNew && seg.isLoading) return <Skeleton active />
  if (!isNew && !seg.data)
    return (
      <Result
        status="404"
        title={t('segments.notFound')}
        subTitle={seg.error?.message}
        extra={<Link to="/segments">{t('segments.back')}</Link>}
      />
    )
  const kind: SegmentKind = seg.data?.kind ?? (params.get('kind') === 'static' ? 'static' : 'dynamic')
  return <Editor key={id} segment={isNew ? undefined : seg.data} kind={kind} />
}

interface FormValues {
  name: string
  description?: string
  autoRefresh: boolean
}

function Editor({ segment, kind }: { segment?: Segment; kind: SegmentKind }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const can = useCan()
  const fmt = useFormat()
  const nav = useNavigate()
  const qc = useQueryClient()
  const [params, setParams] = useSearchParams()
  const [form] = Form.useForm<FormValues>()
  const [tree, setTree] = useState<ConditionGroup>(() => asRoot(segment?.conditions))
  // Conditions go with a save only once edited (the server refreshes the membership on a change).
  const [treeEdited, setTreeEdited] = useState(false)
  const [saveErrors, setSaveErrors] = useState<ConditionError[]>([])
  const [countErrors, setCountErrors] = useState<{ tree: ConditionGroup; errors: ConditionError[] }>({
    tree,
    errors: [],
  })
  const onCountErrors = useCallback(
    (counted: ConditionGroup, errors: ConditionError[]) =>
      setCountErrors((prev) =>
        prev.tree === counted && !errors.length && !prev.errors.length ? prev : { tree: counted, errors },
      ),
    [],
  )
  const dynamic = kind === 'dynamic'
  const canSave = segment ? can('segments.edit') : can('segments.create')
  const treeErrors = saveErrors.length ? saveErrors : countErrors.tree === tree ? countErrors.errors : []

  const changed = (s: Segment) => {
    qc.setQueryData(['segments', s.id], s)
    void qc.invalidateQueries({ queryKey: ['segments', 'list'] })
  }
  const save = useMutation({
    mutationFn: async () => {
      const v = await form.validateFields()
      const body = {
        name: v.name.trim(),
        description: v.description?.trim() || null,
        ...(dynamic ? { autoRefresh: v.autoRefresh } : {}),
        ...(dynamic && (treeEdited || !segment) ? { conditions: tree } : {}),
      }
      return segment
        ? segmentsApi.update(segment.id, { ...body, version: segment.version })
        : segmentsApi.create({ ...body, kind })
    },
    onSuccess: (s) => {
      setSaveErrors([])
      setTreeEdited(false)
      changed(s)
      void qc.invalidateQueries({ queryKey: ['segments', s.id] })
      if (segment) message.success(t('segments.saved'))
      else {
        message.success(t('segments.created'))
        nav(`/segments/${s.id}${s.kind === 'static' ? '?tab=members' : ''}`, { replace: true })
      }
    },
    onError: (e) => {
      if (!(e instanceof ApiError)) return // the form shows its own messages
      if (e.status === 409 && e.code === 'conflict') return void message.error(t('segments.conflict'))
      const onTree = e.fields.filter((f) => f.field === 'conditions' || f.field.startsWith('conditions.'))
      const onForm = e.fields.filter((f) => ['name', 'description', 'autoRefresh'].includes(f.field))
      setSaveErrors(onTree)
      form.setFields(onForm.map((f) => ({ name: f.field as keyof FormValues, errors: [f.message] })))
      const rest = e.fields.filter((f) => !onTree.includes(f) && !onForm.includes(f))
      if (onTree.length) message.error(t('segments.fixErrors'))
      for (const f of rest) message.error(f.message)
      if (!e.fields.length) message.error(e.message)
    },
  })
  const refresh = useMutation({
    mutationFn: () => segmentsApi.refresh(segment?.id ?? ''),
    onSuccess: (r) => {
      message.success(t('segments.refreshed', { ...r }))
      void qc.invalidateQueries({ queryKey: ['segments'] })
    },
    onError: (e) => message.error(e.message),
  })
  const remove = useMutation({
    mutationFn: () => segmentsApi.remove(segment?.id ?? ''),
    onSuccess: () => {
      message.success(t('segments.deleted'))
      void qc.invalidateQueries({ queryKey: ['segments', 'list'] })
      nav('/segments')
    },
    onError: (e) => message.error(e.message),
  })

  const details = (
    <Card size="small" title={dynamic ? undefined : t('segments.tab.basics')} style={{ marginBottom: 16 }}>
      <Form<FormValues>
        form={form}
        layout="vertical"
        disabled={!canSave}
        initialValues={{
          name: segment?.name ?? '',
          description: segment?.description ?? '',
          autoRefresh: segment?.autoRefresh ?? true,
        }}
        data-testid="segment-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={dynamic ? 10 : 12}>
            <Form.Item
              name="name"
              label={t('segments.field.name')}
              rules={[{ required: true, whitespace: true, message: t('segments.nameRequired') }]}
              style={{ marginBottom: 8 }}
            >
              <Input maxLength={100} placeholder={t('segments.namePh')} data-testid="segment-name" />
            </Form.Item>
          </Col>
          <Col xs={24} md={dynamic ? 10 : 12}>
            <Form.Item name="description" label={t('segments.field.description')} style={{ marginBottom: 8 }}>
              <Input maxLength={500} data-testid="segment-description" />
            </Form.Item>
          </Col>
          {dynamic && (
            <Col xs={24} md={4}>
              <Form.Item
                name="autoRefresh"
                label={t('segments.field.autoRefresh')}
                valuePropName="checked"
                tooltip={t('segments.autoRefreshHelp')}
                style={{ marginBottom: 8 }}
              >
                <Switch data-testid="segment-auto-refresh" />
              </Form.Item>
            </Col>
          )}
        </Row>
      </Form>
    </Card>
  )
  const definition = dynamic ? (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={17}>
        {details}
        <Card size="small" title={t('segments.conditions')}>
          <ConditionTree
            value={tree}
            onChange={(next) => {
              setTree(next)
              setTreeEdited(true)
              setSaveErrors([])
            }}
            errors={treeErrors}
            disabled={!canSave}
            testId="segment-conditions"
          />
        </Card>
      </Col>
      <Col xs={24} xl={7}>
        <div style={{ position: 'sticky', top: 16 }}>
          <CountPanel conditions={tree} onErrors={onCountErrors} />
        </div>
      </Col>
    </Row>
  ) : (
    <>
      {details}
      {!segment && <Alert type="info" showIcon title={t('segments.members.staticHelp')} />}
    </>
  )
  const tab = params.get('tab') ?? 'definition'
  return (
    <>
      <Link to="/segments" style={{ display: 'inline-block', marginBottom: 8 }}>
        <ArrowLeftOutlined /> {t('segments.back')}
      </Link>
      <div className="haina-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="segment-title">
          {segment?.name ?? (dynamic ? t('segments.newDynamic') : t('segments.newStatic'))}
        </Typography.Title>
        <KindTag kind={kind} />
        {segment && (
          <Typography.Text type="secondary" data-testid="segment-size">
            {t('segments.memberCount', { n: segment.memberCount.toLocaleString() })}
            {' · '}
            {segment.refreshedAt
              ? t('segments.refreshedAt', { at: fmt.dateTime(segment.refreshedAt) })
              : t('segments.never')}
          </Typography.Text>
        )}
        <span style={{ flex: 1 }} />
        {segment && dynamic && can('segments.edit') && (
          <Button
            icon={<ReloadOutlined />}
            loading={refresh.isPending}
            onClick={() => refresh.mutate()}
            data-testid="segment-refresh"
          >
            {t('segments.refresh')}
          </Button>
        )}
        {segment && can('segments.export') && (
          <>
            <Button
              icon={<DownloadOutlined />}
              href={exportUrl(segment.id, 'csv')}
              download
              data-testid="segment-export-csv"
            >
              {t('segments.exportCsv')}
            </Button>
            <Button
              icon={<DownloadOutlined />}
              href={exportUrl(segment.id, 'xlsx')}
              download
              data-testid="segment-export-xlsx"
            >
              {t('segments.exportXlsx')}
            </Button>
          </>
        )}
        {segment && can('segments.delete') && (
          <Popconfirm
            title={t('segments.confirmDelete', { name: segment.name })}
            onConfirm={() => remove.mutateAsync()}
          >
            <Button danger icon={<DeleteOutlined />} data-testid="segment-delete">
              {t('segments.delete')}
            </Button>
          </Popconfirm>
        )}
        {canSave && (
          <Button
            type="primary"
            icon={<SaveOutlined />}
            loading={save.isPending}
            onClick={() => save.mutate()}
            data-testid="segment-save"
          >
            {segment ? t('segments.save') : t('segments.create')}
          </Button>
        )}
      </div>
      {segment ? (
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === 'definition' ? {} : { tab: k }, { replace: true })}
          items={[
            {
              key: 'definition',
              label: dynamic ? t('segments.tab.definition') : t('segments.tab.basics'),
              children: definition,
              // The form lives here: mounted even when another tab opens first, so saving works.
              forceRender: true,
            },
            { key: 'members', label: t('segments.tab.members'), children: <Members segment={segment} /> },
            {
              key: 'analytics',
              label: t('segments.tab.analytics'),
              children: <Analytics segment={segment} />,
            },
          ]}
          destroyOnHidden={false}
          data-testid="segment-tabs"
        />
      ) : (
        definition
      )}
    </>
  )
}
