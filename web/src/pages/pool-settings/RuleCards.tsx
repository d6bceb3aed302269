import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Popconfirm,
  Space,
  Spin,
  Switch,
  Tag,
  Typography,
} from 'antd'
import { type ReactNode, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCan } from '../../session.js'
import { showServerErrors } from './errors.js'

interface Rule {
  id: string
  name: string
  enabled: boolean
  sort: number
  version: number
}

/**
 * Ordered rule cards (distribution and assignment rules): tried top to bottom, the first that
 * matches decides. Each card is its own form, saved on its own, so a server error such as
 * `conditions[1].value` lands on that card's input; new cards are drafts until saved.
 */
/** The five calls of a rule list; each page makes them with its own typed routes. */
export interface RuleEndpoints<R, B> {
  /** The query key of the list. */
  key: string
  list: () => Promise<R[]>
  create: (body: B & { sort: number }) => Promise<unknown>
  update: (id: string, body: B & { version: number }) => Promise<unknown>
  remove: (id: string) => Promise<unknown>
  reorder: (ids: string[]) => Promise<unknown>
}

export function RuleCards<R extends Rule, B>({
  endpoints,
  help,
  blank,
  body,
  toBody,
  testId,
}: {
  endpoints: RuleEndpoints<R, B>
  help: string
  blank: () => Omit<R, 'id' | 'sort' | 'version'>
  body: () => ReactNode
  toBody: (values: Record<string, unknown>) => B
  testId: string
}) {
  const { t } = useTranslation()
  const can = useCan()
  const editable = can('leads.configure')
  const { message } = App.useApp()
  const qc = useQueryClient()
  const key = [endpoints.key]
  const rules = useQuery({ queryKey: key, queryFn: endpoints.list })
  const [drafts, setDrafts] = useState<{ key: number; rule: Omit<R, 'id' | 'sort' | 'version'> }[]>([])
  const list = [...(rules.data ?? [])].sort((a, b) => a.sort - b.sort)

  const move = async (from: number, to: number) => {
    const ids = list.map((r) => r.id)
    const [id] = ids.splice(from, 1)
    ids.splice(to, 0, id as string)
    // Shown in the new order at once; the server's answer (or a refetch) settles it.
    qc.setQueryData(
      key,
      ids.map((id, i) => ({ ...(list.find((r) => r.id === id) as R), sort: i })),
    )
    try {
      await endpoints.reorder(ids)
    } catch (e) {
      message.error((e as Error).message)
    }
    await qc.invalidateQueries({ queryKey: key })
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid={testId}>
      <Alert type="info" showIcon message={help} />
      {rules.isLoading && <Spin />}
      {!rules.isLoading && list.length === 0 && drafts.length === 0 && (
        <Empty description={t('poolSettings.rules.empty')} />
      )}
      {list.map((r, i) => (
        <RuleCard<R>
          key={`${r.id}:${r.version}`}
          formName={`rule-${r.id}`}
          index={i}
          count={list.length}
          rule={r}
          editable={editable}
          body={body}
          onMove={(to) => move(i, to)}
          onSave={async (v) => {
            await endpoints.update(r.id, { ...toBody(v), version: r.version })
            await qc.invalidateQueries({ queryKey: key })
          }}
          onDelete={async () => {
            try {
              await endpoints.remove(r.id)
            } catch (e) {
              message.error((e as Error).message)
            }
            await qc.invalidateQueries({ queryKey: key })
          }}
        />
      ))}
      {drafts.map((d, i) => (
        <RuleCard<R>
          key={`draft-${d.key}`}
          formName={`draft-${d.key}`}
          index={list.length + i}
          count={list.length + drafts.length}
          rule={d.rule as R}
          draft
          editable={editable}
          body={body}
          onSave={async (v) => {
            await endpoints.create({ ...toBody(v), sort: list.length })
            await qc.invalidateQueries({ queryKey: key })
            setDrafts((all) => all.filter((x) => x.key !== d.key))
          }}
          onDelete={async () => setDrafts((all) => all.filter((x) => x.key !== d.key))}
        />
      ))}
      {editable && (
        <Button
          icon={<PlusOutlined />}
          onClick={() => setDrafts((all) => [...all, { key: Date.now(), rule: blank() }])}
        >
          {t('poolSettings.rules.add')}
        </Button>
      )}
    </Space>
  )
}

/** One rule: name, on/off, order buttons, the page's own fields, save. */
function RuleCard<T extends Rule>(props: {
  /** Unique per card: input ids (and so their labels) must not repeat across the cards' forms. */
  formName: string
  index: number
  count: number
  rule: T
  draft?: boolean
  editable: boolean
  body: () => ReactNode
  onMove?: (to: number) => void
  onSave: (values: Record<string, unknown>) => Promise<void>
  onDelete: () => Promise<void>
}) {
  const { index, count, rule, draft, onMove, onSave, onDelete } = props
  const { t } = useTranslation()
  const { message } = App.useApp()
  const [form] = Form.useForm()
  const [saving, setSaving] = useState(false)
  useEffect(() => {
    form.setFieldsValue(rule)
  }, [rule, form])
  const save = async () => {
    const v = await form.validateFields()
    setSaving(true)
    try {
      await onSave(v)
      message.success(t('common.saved'))
    } catch (e) {
      showServerErrors(form, e, message)
    } finally {
      setSaving(false)
    }
  }
  return (
    <Form form={form} name={props.formName} layout="vertical" initialValues={rule} disabled={!props.editable}>
      <Card
        size="small"
        data-testid="rule-card"
        title={
          <Space>
            <Typography.Text type="secondary">{index + 1}</Typography.Text>
            <Form.Item name="name" noStyle rules={[{ required: true, message: t('poolSettings.required') }]}>
              <Input
                variant="borderless"
                placeholder={t('poolSettings.rules.name')}
                aria-label={t('poolSettings.rules.name')}
                style={{ width: 260 }}
              />
            </Form.Item>
            {draft && <Tag color="orange">{t('poolSettings.rules.unsaved')}</Tag>}
          </Space>
        }
        extra={
          <Space size={4}>
            <Form.Item name="enabled" valuePropName="checked" noStyle>
              <Switch size="small" aria-label={t('poolSettings.enabled')} />
            </Form.Item>
            {!draft && (
              <>
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowUpOutlined />}
                  disabled={!props.editable || index === 0}
                  title={t('poolSettings.rules.moveUp')}
                  aria-label={t('poolSettings.rules.moveUp')}
                  onClick={() => onMove?.(index - 1)}
                />
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowDownOutlined />}
                  disabled={!props.editable || index === count - 1}
                  title={t('poolSettings.rules.moveDown')}
                  aria-label={t('poolSettings.rules.moveDown')}
                  onClick={() => onMove?.(index + 1)}
                />
              </>
            )}
            <Popconfirm title={t('common.confirmDelete')} onConfirm={onDelete} disabled={!props.editable}>
              <Button
                size="small"
                type="text"
                danger
                icon={<DeleteOutlined />}
                title={t('poolSettings.remove')}
                aria-label={t('poolSettings.remove')}
              />
            </Popconfirm>
          </Space>
        }
      >
        {props.body()}
        {props.editable && (
          <Space>
            <Button type="primary" size="small" loading={saving} onClick={save}>
              {t('common.save')}
            </Button>
            {!draft && (
              <Button size="small" onClick={() => form.resetFields()}>
                {t('poolSettings.discard')}
              </Button>
            )}
          </Space>
        )}
      </Card>
    </Form>
  )
}
