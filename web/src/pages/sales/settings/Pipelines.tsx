import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  List,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useFieldDefs } from '../../../data.js'
import { useCan } from '../../../session.js'
import { showServerErrors } from '../../pool-settings/errors.js'
import { type Pipeline, usePipelines } from '../opportunities/api.js'
import { GATE_FIELDS, gateFieldLabel, MEDDIC_KEYS } from '../opportunities/format.js'
import { type StageInput, settingsApi } from './api.js'

interface Values {
  name: string
  businessLine?: string | null
  isDefault: boolean
  active: boolean
  stages: StageInput[]
}

const KINDS = ['open', 'won', 'lost'] as const

/** A new pipeline starts with the usual B2B stages (each can be renamed, re-weighted or removed). */
function starterStages(t: (k: string) => string): StageInput[] {
  return [
    { name: t('salesSettings.pipelines.starter.qualify'), probability: 10, kind: 'open', requiredFields: [] },
    { name: t('salesSettings.pipelines.starter.needs'), probability: 30, kind: 'open', requiredFields: [] },
    {
      name: t('salesSettings.pipelines.starter.proposal'),
      probability: 60,
      kind: 'open',
      requiredFields: ['amount'],
    },
    {
      name: t('salesSettings.pipelines.starter.negotiate'),
      probability: 80,
      kind: 'open',
      requiredFields: [],
    },
    { name: t('salesSettings.pipelines.starter.won'), probability: 100, kind: 'won', requiredFields: [] },
    { name: t('salesSettings.pipelines.starter.lost'), probability: 0, kind: 'lost', requiredFields: [] },
  ]
}

/**
 * 销售流程: the pipelines (one per business line) and, for the one picked, its ordered stages with
 * win probability, kind and stage gate (fields an opportunity must have to enter the stage).
 */
export function Pipelines() {
  const { t } = useTranslation()
  const can = useCan()
  const pipelines = usePipelines()
  const [picked, setPicked] = useState<string | 'new' | null>(null)
  const list = pipelines.data ?? []
  const current = picked === 'new' ? null : (list.find((p) => p.id === picked) ?? list[0] ?? null)
  const editing = picked === 'new' ? 'new' : current
  const canEdit = can('opportunities.configure')
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={7}>
        <Card
          size="small"
          title={t('salesSettings.pipelines.list')}
          loading={pipelines.isLoading}
          extra={
            canEdit && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                onClick={() => setPicked('new')}
                data-testid="pipeline-new"
              >
                {t('salesSettings.pipelines.new')}
              </Button>
            )
          }
        >
          <List
            dataSource={list}
            locale={{ emptyText: t('salesSettings.pipelines.empty') }}
            renderItem={(p) => (
              <List.Item
                onClick={() => setPicked(p.id)}
                style={{
                  cursor: 'pointer',
                  paddingInline: 8,
                  background: editing !== 'new' && editing?.id === p.id ? '#e6f4ff' : undefined,
                  borderRadius: 6,
                }}
                data-testid="pipeline-item"
              >
                <List.Item.Meta
                  title={
                    <Space size={4} wrap>
                      {p.name}
                      {p.isDefault && <Tag color="blue">{t('salesSettings.pipelines.default')}</Tag>}
                      {!p.active && <Tag>{t('salesSettings.inactive')}</Tag>}
                    </Space>
                  }
                  description={t('salesSettings.pipelines.stageCount', {
                    n: p.stages.length,
                    line: p.businessLine || t('salesSettings.pipelines.noLine'),
                  })}
                />
              </List.Item>
            )}
          />
        </Card>
      </Col>
      <Col xs={24} lg={17}>
        {editing ? (
          <PipelineEditor
            key={editing === 'new' ? 'new' : editing.id}
            pipeline={editing === 'new' ? null : editing}
            canEdit={canEdit}
            onSaved={(p) => setPicked(p?.id ?? null)}
          />
        ) : (
          <Card size="small">
            <Empty description={t('salesSettings.pipelines.pick')} />
          </Card>
        )}
      </Col>
    </Row>
  )
}

function PipelineEditor(props: {
  pipeline: Pipeline | null
  canEdit: boolean
  onSaved: (p: Pipeline | null) => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm<Values>()
  const [busy, setBusy] = useState(false)
  const defs = useFieldDefs('opportunity').data?.items ?? []
  const p = props.pipeline
  useEffect(() => {
    form.setFieldsValue(
      p
        ? {
            name: p.name,
            businessLine: p.businessLine,
            isDefault: p.isDefault,
            active: p.active,
            stages: [...p.stages]
              .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
              .map(({ id, name, probability, kind, requiredFields }) => ({
                id,
                name,
                probability,
                kind,
                requiredFields,
              })),
          }
        : { name: '', isDefault: false, active: true, stages: starterStages(t) },
    )
  }, [p, form, t])

  const labels = Object.fromEntries(defs.map((d) => [d.key, d.label]))
  const gateOptions = [
    {
      label: t('salesSettings.pipelines.baseFields'),
      options: GATE_FIELDS.map((f) => ({ value: f, label: gateFieldLabel(t, f) })),
    },
    {
      label: 'MEDDIC',
      options: MEDDIC_KEYS.map((k) => ({ value: `meddic.${k}`, label: gateFieldLabel(t, `meddic.${k}`) })),
    },
    ...(defs.length
      ? [
          {
            label: t('salesSettings.pipelines.customFields'),
            options: defs.map((d) => ({
              value: `custom.${d.key}`,
              label: gateFieldLabel(t, `custom.${d.key}`, labels),
            })),
          },
        ]
      : []),
  ]

  const save = async () => {
    const v = await form.validateFields()
    const body = {
      name: v.name.trim(),
      businessLine: v.businessLine?.trim() || null,
      isDefault: v.isDefault,
      active: v.active,
      stages: v.stages.map((s) => ({ ...s, name: s.name.trim(), requiredFields: s.requiredFields ?? [] })),
    }
    setBusy(true)
    try {
      const saved = p
        ? await settingsApi.patchPipeline(p.id, { ...body, version: p.version })
        : await settingsApi.createPipeline(body)
      message.success(t('common.saved'))
      await qc.invalidateQueries({ queryKey: ['pipelines'] })
      props.onSaved(saved)
    } catch (e) {
      showServerErrors(form, e, message)
    } finally {
      setBusy(false)
    }
  }
  const remove = async () => {
    if (!p) return
    try {
      await settingsApi.deletePipeline(p.id)
      await qc.invalidateQueries({ queryKey: ['pipelines'] })
      props.onSaved(null)
    } catch (e) {
      showServerErrors(form, e, message)
    }
  }

  return (
    <Card
      size="small"
      title={p ? p.name : t('salesSettings.pipelines.new')}
      extra={
        props.canEdit && (
          <Space>
            {p && !p.isDefault && (
              <Popconfirm title={t('salesSettings.pipelines.confirmDelete')} onConfirm={remove}>
                <Button danger icon={<DeleteOutlined />}>
                  {t('common.delete')}
                </Button>
              </Popconfirm>
            )}
            <Button type="primary" onClick={save} loading={busy} data-testid="pipeline-save">
              {t('common.save')}
            </Button>
          </Space>
        )
      }
    >
      <Form form={form} layout="vertical" disabled={!props.canEdit} data-testid="pipeline-form">
        <Row gutter={16}>
          <Col xs={24} md={10}>
            <Form.Item
              name="name"
              label={t('salesSettings.pipelines.name')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="businessLine" label={t('salesSettings.pipelines.businessLine')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={12} md={3}>
            <Form.Item name="isDefault" label={t('salesSettings.pipelines.default')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={12} md={3}>
            <Form.Item name="active" label={t('salesSettings.active')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Text strong>{t('salesSettings.pipelines.stages')}</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {t('salesSettings.pipelines.stagesHelp')}
        </Typography.Paragraph>
        <Form.List name="stages">
          {(fields, { add, remove, move }) => (
            <>
              {fields.map((f, i) => (
                <div key={f.key} className="haina-stage-row" data-testid="stage-row">
                  <span className="haina-stage-index">{i + 1}</span>
                  <Form.Item name={[f.name, 'id']} hidden>
                    <Input />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'name']}
                    rules={[{ required: true, whitespace: true }]}
                    style={{ flex: '1 1 140px' }}
                  >
                    <Input placeholder={t('salesSettings.pipelines.stageName')} maxLength={60} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'probability']}
                    rules={[{ required: true }]}
                    style={{ width: 96 }}
                  >
                    <InputNumber
                      min={0}
                      max={100}
                      suffix="%"
                      style={{ width: '100%' }}
                      aria-label={t('salesSettings.pipelines.probability')}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'kind']} style={{ width: 96 }}>
                    <Select
                      options={KINDS.map((k) => ({
                        value: k,
                        label: t(`salesSettings.pipelines.kinds.${k}`),
                      }))}
                    />
                  </Form.Item>
                  <Form.Item name={[f.name, 'requiredFields']} style={{ flex: '2 1 220px' }}>
                    <Select
                      mode="multiple"
                      allowClear
                      maxTagCount="responsive"
                      placeholder={t('salesSettings.pipelines.gate')}
                      options={gateOptions}
                      data-testid="stage-gate"
                    />
                  </Form.Item>
                  <Space size={0} className="haina-stage-tools">
                    <Button
                      type="text"
                      icon={<ArrowUpOutlined />}
                      disabled={i === 0}
                      onClick={() => move(i, i - 1)}
                      aria-label={t('salesSettings.up')}
                    />
                    <Button
                      type="text"
                      icon={<ArrowDownOutlined />}
                      disabled={i === fields.length - 1}
                      onClick={() => move(i, i + 1)}
                      aria-label={t('salesSettings.down')}
                    />
                    <Button
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      onClick={() => remove(f.name)}
                      aria-label={t('common.delete')}
                    />
                  </Space>
                </div>
              ))}
              {props.canEdit && (
                <Button
                  type="dashed"
                  block
                  icon={<PlusOutlined />}
                  onClick={() => {
                    // New stages go before the first won / lost stage.
                    const kinds = ((form.getFieldValue('stages') ?? []) as StageInput[]).map((s) => s.kind)
                    const at = kinds.findIndex((k) => k !== 'open')
                    add(
                      { name: '', probability: 50, kind: 'open', requiredFields: [] },
                      at < 0 ? fields.length : at,
                    )
                  }}
                  data-testid="stage-add"
                >
                  {t('salesSettings.pipelines.addStage')}
                </Button>
              )}
            </>
          )}
        </Form.List>
      </Form>
    </Card>
  )
}
