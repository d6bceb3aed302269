import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Button, DatePicker, Form, Input, InputNumber, Select, Space, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useTranslation } from 'react-i18next'
import { type FieldDef, useChannels, useFieldDefs, useUsers } from '../../data.js'
import { useCan } from '../../session.js'
import { GRADES, LEAD_STATUSES, type LeadCondition } from './data.js'
import { UnitPicker, UnitsPicker, UserPicker } from './pickers.js'
import { RegionCodePicker } from './RegionCodePicker.js'

type Kind =
  | 'text'
  | 'longText'
  | 'number'
  | 'region'
  | 'channel'
  | 'unit'
  | 'user'
  | 'grade'
  | 'status'
  | 'options'
  | 'multi'
  | 'boolean'
  | 'date'

/** Lead columns a rule may test (server/src/modules/leads/conditions.ts has the final word). */
const BASE_FIELDS: { key: string; kind: Kind }[] = [
  { key: 'regionCode', kind: 'region' },
  { key: 'category', kind: 'text' },
  { key: 'channelId', kind: 'channel' },
  { key: 'grade', kind: 'grade' },
  { key: 'score', kind: 'number' },
  { key: 'source', kind: 'text' },
  { key: 'status', kind: 'status' },
  { key: 'unitId', kind: 'unit' },
  { key: 'company', kind: 'text' },
  { key: 'name', kind: 'text' },
  { key: 'title', kind: 'text' },
  { key: 'intentCount', kind: 'number' },
]

const OPS: Record<Kind, string[]> = {
  text: ['eq', 'ne', 'in', 'not_in', 'prefix', 'contains', 'empty', 'not_empty'],
  longText: ['contains', 'empty', 'not_empty'],
  region: ['prefix', 'eq', 'ne', 'in', 'not_in', 'empty', 'not_empty'],
  number: ['gte', 'gt', 'lte', 'lt', 'eq', 'ne', 'empty', 'not_empty'],
  channel: ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty'],
  unit: ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty'],
  user: ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty'],
  grade: ['in', 'not_in', 'eq', 'ne', 'empty', 'not_empty'],
  status: ['in', 'not_in', 'eq', 'ne'],
  options: ['eq', 'ne', 'in', 'not_in', 'empty', 'not_empty'],
  multi: ['in', 'not_in', 'contains', 'empty', 'not_empty'],
  boolean: ['eq', 'ne', 'empty', 'not_empty'],
  date: ['gte', 'gt', 'lte', 'lt', 'eq', 'ne', 'empty', 'not_empty'],
}
const NO_VALUE = new Set(['empty', 'not_empty'])
const MANY = new Set(['in', 'not_in'])
/** Several values: in / not in, and "has all of" for multi-select fields. */
const many = (kind: Kind, op: string) => MANY.has(op) || (kind === 'multi' && op === 'contains')

function customKind(def: FieldDef): Kind {
  switch (def.type) {
    case 'number':
    case 'money':
      return 'number'
    case 'single_select':
      return 'options'
    case 'multi_select':
      return 'multi'
    case 'long_text':
      return 'longText'
    case 'user':
      return 'user'
    case 'boolean':
      return 'boolean'
    case 'date':
    case 'datetime':
      return 'date'
    case 'region':
      return 'region'
    default:
      return 'text'
  }
}

/** The lead fields a condition can name, custom fields of leads included (`custom.<key>`). */
export function useConditionFields() {
  const { t } = useTranslation()
  const custom = useFieldDefs('lead').data?.items ?? []
  const fields = [
    ...BASE_FIELDS.map((f) => ({ ...f, label: t(`poolSettings.fields.${f.key}`), def: undefined })),
    ...custom.map((d) => ({ key: `custom.${d.key}`, kind: customKind(d), label: d.label, def: d })),
  ]
  return fields
}

/**
 * A list of AND-ed conditions (field, operator, value) over lead fields, shared by sub-pool criteria,
 * distribution and assignment rules. `name` is the list's top-level form field; the server's errors
 * (`conditions[1].value`) land on the row they name.
 */
export function ConditionBuilder({ name, disabled }: { name: string; disabled?: boolean }) {
  const { t } = useTranslation()
  const form = Form.useFormInstance()
  const fields = useConditionFields()
  const rows = (Form.useWatch(name, form) ?? []) as LeadCondition[]
  const kindOf = (field?: string) => fields.find((f) => f.key === field)?.kind ?? 'text'
  return (
    <Form.List name={name}>
      {(items, { add, remove }, { errors }) => (
        <Space direction="vertical" style={{ width: '100%' }} size={4} data-testid={`conditions-${name}`}>
          {items.length === 0 && (
            <Typography.Text type="secondary">{t('poolSettings.conditions.none')}</Typography.Text>
          )}
          {items.map((c, i) => {
            const row = rows[c.name]
            const kind = kindOf(row?.field)
            const field = fields.find((f) => f.key === row?.field)
            return (
              <Form.Item key={c.key} style={{ marginBottom: 4 }}>
                <Space wrap align="start" size={4}>
                  <Typography.Text
                    type="secondary"
                    style={{ display: 'inline-block', minWidth: 28, lineHeight: '32px' }}
                  >
                    {i === 0 ? t('poolSettings.conditions.if') : t('poolSettings.conditions.and')}
                  </Typography.Text>
                  <Form.Item name={[c.name, 'field']} noStyle rules={[{ required: true }]}>
                    <Select
                      showSearch
                      optionFilterProp="label"
                      style={{ width: 160 }}
                      aria-label={t('poolSettings.conditions.field')}
                      options={fields.map((f) => ({ value: f.key, label: f.label }))}
                      onChange={(v: string) =>
                        form.setFieldValue([name, c.name], {
                          field: v,
                          op: OPS[kindOf(v)][0],
                          value: undefined,
                        })
                      }
                    />
                  </Form.Item>
                  <Form.Item name={[c.name, 'op']} noStyle rules={[{ required: true }]}>
                    <Select
                      style={{ width: 120 }}
                      aria-label={t('poolSettings.conditions.op')}
                      options={OPS[kind].map((o) => ({ value: o, label: t(`poolSettings.ops.${o}`) }))}
                      onChange={(op: string) => {
                        const before = row?.op ?? ''
                        if (NO_VALUE.has(op) || many(kind, op) !== many(kind, before))
                          form.setFieldValue([name, c.name, 'value'], undefined)
                      }}
                    />
                  </Form.Item>
                  {row?.op && !NO_VALUE.has(row.op) && (
                    <Form.Item
                      name={[c.name, 'value']}
                      noStyle
                      rules={[{ required: true, message: t('poolSettings.conditions.valueRequired') }]}
                    >
                      <ValueInput kind={kind} many={many(kind, row.op)} options={field?.def?.options} />
                    </Form.Item>
                  )}
                  {!disabled && (
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      title={t('poolSettings.remove')}
                      onClick={() => remove(c.name)}
                    />
                  )}
                </Space>
              </Form.Item>
            )
          })}
          <Form.ErrorList errors={errors} />
          {!disabled && (
            <Button
              size="small"
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ field: 'regionCode', op: 'prefix', value: undefined })}
            >
              {t('poolSettings.conditions.add')}
            </Button>
          )}
        </Space>
      )}
    </Form.List>
  )
}

/** The value control for a field kind: one value, or several for in / not in. */
function ValueInput({
  kind,
  many,
  options,
  value,
  onChange,
  id,
}: {
  kind: Kind
  many: boolean
  options?: { value: string; label: string }[]
  value?: unknown
  onChange?: (v: unknown) => void
  id?: string
}) {
  const { t } = useTranslation()
  const can = useCan()
  const channels = useChannels(kind === 'channel' && can('intake.view')).data?.items ?? []
  const users = useUsers(kind === 'user').data?.items ?? []
  const common = { id, value: value as never, onChange, 'aria-label': t('poolSettings.conditions.value') }
  const select = (opts: { value: string | boolean; label: string }[]) => (
    <Select
      {...common}
      mode={many ? 'multiple' : undefined}
      style={{ minWidth: 200 }}
      showSearch
      optionFilterProp="label"
      options={opts as never}
    />
  )
  switch (kind) {
    case 'region':
      return <RegionCodePicker {...common} multiple={many} />
    case 'number':
      return many ? (
        <Select {...common} mode="tags" style={{ minWidth: 200 }} />
      ) : (
        <InputNumber {...common} style={{ width: 140 }} />
      )
    case 'channel':
      return select(channels.map((c) => ({ value: c.id, label: c.name })))
    case 'grade':
      return select(GRADES.map((g) => ({ value: g, label: g })))
    case 'status':
      return select(LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.status_${s}`) })))
    case 'options':
    case 'multi':
      return select(options ?? [])
    case 'unit':
      return many ? <UnitsPicker {...common} /> : <UnitPicker {...common} />
    case 'user':
      return many ? (
        <Select
          {...common}
          mode="multiple"
          style={{ minWidth: 200 }}
          showSearch
          optionFilterProp="label"
          options={users.map((u) => ({ value: u.id, label: u.name }))}
        />
      ) : (
        <UserPicker {...common} />
      )
    case 'boolean':
      return select([
        { value: true, label: t('common.yes') },
        { value: false, label: t('common.no') },
      ])
    case 'date':
      return (
        <DatePicker
          id={id}
          aria-label={t('poolSettings.conditions.value')}
          value={value ? dayjs(value as string) : null}
          onChange={(d: Dayjs | null) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined)}
        />
      )
    default:
      return many ? (
        <Select
          {...common}
          mode="tags"
          style={{ minWidth: 200 }}
          open={false}
          placeholder={t('poolSettings.conditions.tagsHelp')}
        />
      ) : (
        <Input {...common} style={{ width: 200 }} onChange={(e) => onChange?.(e.target.value)} />
      )
  }
}
