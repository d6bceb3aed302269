import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  Divider,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Row,
  Select,
  Space,
  Switch,
  Tag,
  Tree,
  Typography,
} from 'antd'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import { useFieldDefs } from '../../data.js'
import { useCan } from '../../session.js'
import { ConditionBuilder } from './ConditionBuilder.js'
import {
  GRADES,
  type LeadCondition,
  nullable,
  type Pool,
  type PoolKind,
  type PoolMember,
  type PublicPoolSettings,
  poolTree,
  usePools,
} from './data.js'
import { showServerErrors } from './errors.js'
import { PoolPicker, UnitPicker, UnitsPicker, UserPicker } from './pickers.js'

const KIND_COLORS: Record<PoolKind, string> = { master: 'gold', sub: 'blue', public: 'green' }
/** Contact fields a public pool can hide from people who have not claimed the lead yet. */
const HIDEABLE = ['mobile', 'phone', 'email', 'address', 'company', 'title', 'creditCode', 'notes'] as const

type Selection = { id: string } | { create: 'sub' | 'public' } | null

/**
 * 线索池: the pyramid of pools — the workspace's master pool, sub-pools under it (by org unit,
 * region, category or any rule over lead fields), and public pools (公海) with their claim limits
 * and automatic reclaim — plus each pool's admins and members.
 */
export function PoolsConfig() {
  const { t } = useTranslation()
  const can = useCan()
  const editable = can('leads.configure')
  const pools = usePools()
  const list = pools.data ?? []
  const [sel, setSel] = useState<Selection>(null)
  const tree = useMemo(() => poolTree(list), [list])
  const selected = sel && 'id' in sel ? list.find((p) => p.id === sel.id) : undefined
  const selectedKey = selected?.id

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={8}>
        <Card
          size="small"
          title={t('poolSettings.pools.tree')}
          loading={pools.isLoading}
          extra={
            editable && (
              <Space size={4}>
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => setSel({ create: 'sub' })}
                  data-testid="new-sub-pool"
                >
                  {t('poolSettings.pools.newSub')}
                </Button>
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => setSel({ create: 'public' })}
                  data-testid="new-public-pool"
                >
                  {t('poolSettings.pools.newPublic')}
                </Button>
              </Space>
            )
          }
        >
          {tree.length ? (
            <Tree
              blockNode
              defaultExpandAll
              key={list.length}
              treeData={tree}
              selectedKeys={selectedKey ? [selectedKey] : []}
              onSelect={(k) => setSel(k[0] ? { id: String(k[0]) } : null)}
              titleRender={(n) => {
                const p = list.find((x) => x.id === n.key)
                return (
                  <Space size={6} data-testid="pool-node">
                    <span style={{ opacity: p?.enabled === false ? 0.5 : 1 }}>{n.title as string}</span>
                    <Tag color={KIND_COLORS[n.kind]} style={{ marginInlineEnd: 0 }}>
                      {t(`poolSettings.kinds.${n.kind}`)}
                    </Tag>
                    <Badge count={p?.leadCount ?? 0} showZero overflowCount={99999} color="#8c8c8c" />
                  </Space>
                )
              }}
            />
          ) : (
            <Empty description={t('poolSettings.pools.empty')} />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={16}>
        {sel === null ? (
          <Card size="small">
            <Empty description={t('poolSettings.pools.select')} />
          </Card>
        ) : (
          <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
            <PoolEditor
              key={'id' in sel ? `${sel.id}:${selected?.version}` : `new-${sel.create}`}
              pool={selected}
              kind={'create' in sel ? sel.create : (selected?.kind ?? 'sub')}
              pools={list}
              editable={editable && (!selected || selected.myRole === 'admin')}
              onSaved={(id) => setSel({ id })}
              onDeleted={() => setSel(null)}
            />
            {selected && (
              <PoolMembers
                key={selected.id}
                pool={selected}
                editable={editable && selected.myRole === 'admin'}
              />
            )}
          </div>
        )}
      </Col>
    </Row>
  )
}

/** A pool's fields: what it is, where it sits, its criteria (sub-pools) or its rules (public pools). */
function PoolEditor({
  pool,
  kind,
  pools,
  editable,
  onSaved,
  onDeleted,
}: {
  pool?: Pool
  kind: PoolKind
  pools: Pool[]
  editable: boolean
  onSaved: (id: string) => void
  onDeleted: () => void
}) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm()
  const [saving, setSaving] = useState(false)
  const master = pools.find((p) => p.kind === 'master')
  const initial = pool ?? {
    name: '',
    kind,
    parentId: kind === 'sub' ? (master?.id ?? null) : null,
    description: '',
    unitId: master?.unitId,
    criteria: [],
    settings:
      kind === 'public'
        ? {
            dailyClaimLimit: 20,
            userHoldingCap: 200,
            reclaimLockDays: 7,
            protectionHours: 0,
            hiddenFields: ['mobile', 'phone', 'email'],
            reclaim: { enabled: true, noFollowUpDays: 7, notConvertedDays: 30, remindDaysBefore: 1 },
          }
        : {},
    memberUnitIds: [],
    reclaimPoolId: null,
    sort: 0,
    enabled: true,
  }

  const save = async () => {
    const v = await form.validateFields()
    // Each kind sends only what it has: criteria for sub-pools, settings and member units for public pools.
    const body = {
      name: v.name as string,
      description: (v.description as string) || null,
      unitId: v.unitId as string,
      sort: (v.sort as number) ?? 0,
      enabled: (v.enabled as boolean) ?? true,
      ...(kind !== 'master' ? { parentId: (v.parentId as string) ?? null } : {}),
      ...(kind === 'sub' ? { criteria: (v.criteria as LeadCondition[]) ?? [] } : {}),
      ...(kind !== 'public' ? { reclaimPoolId: (v.reclaimPoolId as string) ?? null } : {}),
      ...(kind === 'public'
        ? { settings: settingsBody(v.settings ?? {}), memberUnitIds: (v.memberUnitIds as string[]) ?? [] }
        : {}),
    }
    setSaving(true)
    try {
      const saved = pool
        ? await call(
            api.PATCH('/api/v1/lead-pools/{id}', {
              params: { path: { id: pool.id } },
              body: { ...body, version: pool.version },
            }),
          )
        : await call(api.POST('/api/v1/lead-pools', { body: { ...body, kind: kind as 'sub' | 'public' } }))
      await qc.invalidateQueries({ queryKey: ['lead-pools'] })
      await qc.invalidateQueries({ queryKey: ['lead-pool'] })
      message.success(t('common.saved'))
      onSaved(saved.id)
    } catch (e) {
      showServerErrors(form, e, message)
    } finally {
      setSaving(false)
    }
  }
  const remove = async () => {
    if (!pool) return
    try {
      await call(api.DELETE('/api/v1/lead-pools/{id}', { params: { path: { id: pool.id } } }))
      await qc.invalidateQueries({ queryKey: ['lead-pools'] })
      onDeleted()
    } catch (e) {
      message.error((e as Error).message)
    }
  }

  return (
    <Card
      size="small"
      title={
        <Space>
          <Tag color={KIND_COLORS[kind]}>{t(`poolSettings.kinds.${kind}`)}</Tag>
          <span>{pool ? pool.name : t(`poolSettings.pools.new_${kind}`)}</span>
        </Space>
      }
      extra={
        pool &&
        kind !== 'master' &&
        editable && (
          <Popconfirm title={t('poolSettings.pools.confirmDelete')} onConfirm={remove}>
            <Button size="small" danger icon={<DeleteOutlined />}>
              {t('common.delete')}
            </Button>
          </Popconfirm>
        )
      }
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initial}
        disabled={!editable}
        data-testid="pool-form"
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="name"
              label={t('poolSettings.pools.name')}
              rules={[{ required: true, message: t('poolSettings.required') }, { max: 100 }]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name="unitId"
              label={t('poolSettings.pools.unit')}
              tooltip={t('poolSettings.pools.unitHelp')}
              rules={[{ required: true, message: t('poolSettings.required') }]}
            >
              <UnitPicker />
            </Form.Item>
          </Col>
          {kind !== 'master' && (
            <Col xs={24} md={12}>
              <Form.Item
                name="parentId"
                label={t('poolSettings.pools.parent')}
                rules={kind === 'sub' ? [{ required: true, message: t('poolSettings.required') }] : []}
              >
                <PoolPicker kinds={['master', 'sub']} exclude={pool?.id} allowClear={kind === 'public'} />
              </Form.Item>
            </Col>
          )}
          <Col xs={12} md={6}>
            <Form.Item name="sort" label={t('poolSettings.pools.sort')}>
              <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="enabled" label={t('poolSettings.enabled')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
          <Col xs={24}>
            <Form.Item name="description" label={t('poolSettings.pools.description')}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
          </Col>
        </Row>

        {kind === 'sub' && (
          <>
            <Divider titlePlacement="start" plain>
              {t('poolSettings.pools.criteria')}
            </Divider>
            <Typography.Paragraph type="secondary">
              {t('poolSettings.pools.criteriaHelp')}
            </Typography.Paragraph>
            <Form.Item>
              <ConditionBuilder name="criteria" disabled={!editable} />
            </Form.Item>
          </>
        )}
        {kind !== 'public' && (
          <Form.Item
            name="reclaimPoolId"
            label={t('poolSettings.pools.reclaimPool')}
            tooltip={t('poolSettings.pools.reclaimPoolHelp')}
          >
            <PoolPicker kinds={['public']} allowClear placeholder={t('poolSettings.pools.defaultPublic')} />
          </Form.Item>
        )}

        {kind === 'public' && <PublicSettings />}

        {editable && (
          <Button type="primary" loading={saving} onClick={save} data-testid="pool-save">
            {t('common.save')}
          </Button>
        )}
      </Form>
    </Card>
  )
}

/** Blank limits mean "no limit" (null); per-grade days only for the grades filled in. */
function settingsBody(s: PublicPoolSettings): PublicPoolSettings {
  const r = s.reclaim ?? { enabled: false }
  const byGrade = Object.fromEntries(
    Object.entries(r.noFollowUpDaysByGrade ?? {}).filter(([, d]) => d !== null && d !== undefined),
  )
  return {
    dailyClaimLimit: nullable(s.dailyClaimLimit) as number | null,
    userHoldingCap: nullable(s.userHoldingCap) as number | null,
    unitHoldingCap: nullable(s.unitHoldingCap) as number | null,
    reclaimLockDays: s.reclaimLockDays ?? 0,
    protectionHours: s.protectionHours ?? 0,
    hiddenFields: s.hiddenFields ?? [],
    reclaim: {
      enabled: !!r.enabled,
      noFollowUpDays: nullable(r.noFollowUpDays) as number | null,
      notConvertedDays: nullable(r.notConvertedDays) as number | null,
      noFollowUpDaysByGrade: byGrade,
      skipWithOpenOpportunities: !!r.skipWithOpenOpportunities,
      remindDaysBefore: nullable(r.remindDaysBefore) as number | null,
    },
  }
}

/** A public pool's rules: who may claim, how much, locks and protection, hidden fields, reclaim. */
function PublicSettings() {
  const { t } = useTranslation()
  const custom = useFieldDefs('lead').data?.items ?? []
  const num = (name: (string | number)[], label: string, unit: string, help?: string, min = 0) => (
    <Col xs={24} sm={12} md={8}>
      <Form.Item name={name} label={label} tooltip={help}>
        <InputNumber
          min={min}
          max={100000}
          precision={0}
          style={{ width: '100%' }}
          suffix={unit}
          placeholder={t('poolSettings.unlimited')}
        />
      </Form.Item>
    </Col>
  )
  const s = (k: string) => ['settings', k]
  const r = (k: string) => ['settings', 'reclaim', k]
  return (
    <>
      <Divider titlePlacement="start" plain>
        {t('poolSettings.public.members')}
      </Divider>
      <Form.Item
        name="memberUnitIds"
        label={t('poolSettings.public.memberUnits')}
        tooltip={t('poolSettings.public.memberUnitsHelp')}
      >
        <UnitsPicker />
      </Form.Item>

      <Divider titlePlacement="start" plain>
        {t('poolSettings.public.limits')}
      </Divider>
      <Row gutter={16}>
        {num(
          s('dailyClaimLimit'),
          t('poolSettings.public.dailyClaimLimit'),
          t('poolSettings.unit.leadsPerDay'),
          undefined,
          1,
        )}
        {num(
          s('userHoldingCap'),
          t('poolSettings.public.userHoldingCap'),
          t('poolSettings.unit.leads'),
          t('poolSettings.public.userHoldingCapHelp'),
          1,
        )}
        {num(
          s('unitHoldingCap'),
          t('poolSettings.public.unitHoldingCap'),
          t('poolSettings.unit.leads'),
          t('poolSettings.public.unitHoldingCapHelp'),
          1,
        )}
        {num(
          s('reclaimLockDays'),
          t('poolSettings.public.reclaimLockDays'),
          t('poolSettings.unit.days'),
          t('poolSettings.public.reclaimLockDaysHelp'),
        )}
        {num(
          s('protectionHours'),
          t('poolSettings.public.protectionHours'),
          t('poolSettings.unit.hours'),
          t('poolSettings.public.protectionHoursHelp'),
        )}
      </Row>
      <Form.Item
        name={s('hiddenFields')}
        label={t('poolSettings.public.hiddenFields')}
        tooltip={t('poolSettings.public.hiddenFieldsHelp')}
      >
        <Select
          mode="multiple"
          options={[
            ...HIDEABLE.map((f) => ({ value: f, label: t(`poolSettings.fields.${f}`) })),
            ...custom.map((d) => ({ value: `custom.${d.key}`, label: d.label })),
          ]}
        />
      </Form.Item>

      <Divider titlePlacement="start" plain>
        {t('poolSettings.public.reclaim')}
      </Divider>
      <Form.Item name={r('enabled')} valuePropName="checked" label={t('poolSettings.public.reclaimEnabled')}>
        <Switch />
      </Form.Item>
      <Form.Item noStyle shouldUpdate>
        {({ getFieldValue }) =>
          getFieldValue(r('enabled')) && (
            <>
              <Row gutter={16}>
                {num(
                  r('noFollowUpDays'),
                  t('poolSettings.public.noFollowUpDays'),
                  t('poolSettings.unit.days'),
                  t('poolSettings.public.noFollowUpDaysHelp'),
                  1,
                )}
                {num(
                  r('notConvertedDays'),
                  t('poolSettings.public.notConvertedDays'),
                  t('poolSettings.unit.days'),
                  t('poolSettings.public.notConvertedDaysHelp'),
                  1,
                )}
                {num(
                  r('remindDaysBefore'),
                  t('poolSettings.public.remindDaysBefore'),
                  t('poolSettings.unit.days'),
                  t('poolSettings.public.remindDaysBeforeHelp'),
                  1,
                )}
              </Row>
              <Form.Item
                label={t('poolSettings.public.byGrade')}
                tooltip={t('poolSettings.public.byGradeHelp')}
              >
                <Space wrap>
                  {GRADES.map((g) => (
                    <Form.Item key={g} name={[...r('noFollowUpDaysByGrade'), g]} noStyle>
                      <InputNumber
                        min={1}
                        max={3650}
                        precision={0}
                        style={{ width: 150 }}
                        prefix={t('poolSettings.public.grade', { g })}
                        suffix={t('poolSettings.unit.days')}
                        aria-label={t('poolSettings.public.grade', { g })}
                      />
                    </Form.Item>
                  ))}
                </Space>
              </Form.Item>
              <Form.Item
                name={r('skipWithOpenOpportunities')}
                valuePropName="checked"
                label={t('poolSettings.public.skipWithOpenOpportunities')}
              >
                <Switch size="small" />
              </Form.Item>
            </>
          )
        }
      </Form.Item>
    </>
  )
}

/** Pool admins and members: admins manage the pool, members work its leads. */
function PoolMembers({ pool, editable }: { pool: Pool; editable: boolean }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [form] = Form.useForm()
  const [saving, setSaving] = useState(false)
  const detail = useQuery({
    queryKey: ['lead-pool', pool.id],
    queryFn: () => call(api.GET('/api/v1/lead-pools/{id}', { params: { path: { id: pool.id } } })),
  })
  const members = detail.data?.members
  useEffect(() => {
    if (members) form.setFieldsValue({ members })
  }, [members, form])
  const save = async () => {
    const v = await form.validateFields()
    setSaving(true)
    try {
      await call(
        api.PUT('/api/v1/lead-pools/{id}/members', {
          params: { path: { id: pool.id } },
          body: { members: (v.members ?? []).map((m: PoolMember) => ({ userId: m.userId, role: m.role })) },
        }),
      )
      await qc.invalidateQueries({ queryKey: ['lead-pool', pool.id] })
      await qc.invalidateQueries({ queryKey: ['lead-pools'] })
      message.success(t('common.saved'))
    } catch (e) {
      showServerErrors(form, e, message)
    } finally {
      setSaving(false)
    }
  }
  return (
    <Card size="small" title={t('poolSettings.members.title')} loading={detail.isLoading}>
      {members && (
        <Form form={form} disabled={!editable} data-testid="pool-members">
          <Typography.Paragraph type="secondary">{t('poolSettings.members.help')}</Typography.Paragraph>
          <Form.List name="members">
            {(items, { add, remove }) => (
              <Space direction="vertical" style={{ width: '100%' }} size={4}>
                {items.length === 0 && (
                  <Typography.Text type="secondary">{t('poolSettings.members.none')}</Typography.Text>
                )}
                {items.map((m) => (
                  <Space key={m.key} align="start" wrap size={4}>
                    <Form.Item
                      name={[m.name, 'userId']}
                      rules={[{ required: true, message: t('poolSettings.required') }]}
                      style={{ marginBottom: 4, width: 300 }}
                    >
                      <UserPicker />
                    </Form.Item>
                    <Form.Item name={[m.name, 'role']} style={{ marginBottom: 4 }}>
                      <Select
                        style={{ width: 120 }}
                        aria-label={t('poolSettings.members.role')}
                        options={(['admin', 'member'] as const).map((r) => ({
                          value: r,
                          label: t(`poolSettings.members.roles.${r}`),
                        }))}
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      title={t('poolSettings.remove')}
                      aria-label={t('poolSettings.remove')}
                      onClick={() => remove(m.name)}
                    />
                  </Space>
                ))}
                {editable && (
                  <Space>
                    <Button
                      size="small"
                      type="dashed"
                      icon={<PlusOutlined />}
                      onClick={() => add({ role: 'member' })}
                    >
                      {t('poolSettings.members.add')}
                    </Button>
                    <Button size="small" type="primary" loading={saving} onClick={save}>
                      {t('poolSettings.members.save')}
                    </Button>
                  </Space>
                )}
              </Space>
            )}
          </Form.List>
        </Form>
      )}
    </Card>
  )
}
