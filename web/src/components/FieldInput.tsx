import { Checkbox, DatePicker, Input, InputNumber, Select, Switch, Tag } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import type { FieldDef, User } from '../data.js'
import { RegionCascader, type RegionValue } from './RegionCascader.js'

/** The form control for one custom field definition (all 14 types). */
export function FieldInput({
  def,
  users,
  value,
  onChange,
  id,
}: {
  id?: string
  def: FieldDef
  users: User[]
  value?: unknown
  onChange?: (v: unknown) => void
}) {
  const opts = (def.options ?? []).map((o) => ({ value: o.value, label: o.label }))
  switch (def.type) {
    case 'long_text':
      return (
        <Input.TextArea
          id={id}
          rows={3}
          value={value as string}
          onChange={(e) => onChange?.(e.target.value)}
        />
      )
    case 'number':
      return <InputNumber id={id} style={{ width: '100%' }} value={value as number} onChange={onChange} />
    case 'money':
      // Shown and typed in 元, stored as integer 分.
      return (
        <InputNumber
          id={id}
          style={{ width: '100%' }}
          prefix="¥"
          precision={2}
          value={typeof value === 'number' ? value / 100 : undefined}
          onChange={(y) => onChange?.(y === null || y === undefined ? null : Math.round(Number(y) * 100))}
        />
      )
    case 'date':
      return (
        <DatePicker
          id={id}
          style={{ width: '100%' }}
          value={value ? dayjs(value as string) : null}
          onChange={(d: Dayjs | null) => onChange?.(d ? d.format('YYYY-MM-DD') : null)}
        />
      )
    case 'datetime':
      return (
        <DatePicker
          id={id}
          showTime
          style={{ width: '100%' }}
          value={value ? dayjs(value as string) : null}
          onChange={(d: Dayjs | null) => onChange?.(d ? d.toISOString() : null)}
        />
      )
    case 'boolean':
      return <Switch id={id} checked={value === true} onChange={onChange} />
    case 'single_select':
      return <Select id={id} allowClear options={opts} value={value as string} onChange={onChange} />
    case 'multi_select':
      return (
        <Select
          id={id}
          mode="multiple"
          allowClear
          options={opts}
          value={value as string[]}
          onChange={onChange}
        />
      )
    case 'region':
      return <RegionCascader value={value as RegionValue} onChange={onChange} />
    case 'user':
      return (
        <Select
          id={id}
          allowClear
          showSearch
          optionFilterProp="label"
          options={users.map((u) => ({ value: u.id, label: u.name }))}
          value={value as string}
          onChange={onChange}
        />
      )
    case 'phone':
      return <Input id={id} type="tel" value={value as string} onChange={(e) => onChange?.(e.target.value)} />
    case 'email':
      return (
        <Input id={id} type="email" value={value as string} onChange={(e) => onChange?.(e.target.value)} />
      )
    case 'url':
      return <Input id={id} type="url" value={value as string} onChange={(e) => onChange?.(e.target.value)} />
    default:
      return <Input id={id} value={value as string} onChange={(e) => onChange?.(e.target.value)} />
  }
}

/** How a stored custom value shows in a table cell. */
export function FieldValue({ def, value, users }: { def: FieldDef; value: unknown; users: User[] }) {
  if (value === null || value === undefined || value === '') return null
  const label = (v: string) => def.options?.find((o) => o.value === v)?.label ?? v
  switch (def.type) {
    case 'money':
      return <>¥{((value as number) / 100).toFixed(2)}</>
    case 'boolean':
      return <Checkbox checked={value === true} disabled />
    case 'datetime':
      return <>{dayjs(value as string).format('YYYY-MM-DD HH:mm')}</>
    case 'single_select':
      return <Tag>{label(value as string)}</Tag>
    case 'multi_select':
      return (
        <>
          {(value as string[]).map((v) => (
            <Tag key={v}>{label(v)}</Tag>
          ))}
        </>
      )
    case 'user':
      return <>{users.find((u) => u.id === value)?.name ?? String(value)}</>
    case 'region': {
      const r = value as RegionValue
      return <>{[r.province, r.city, r.district].filter(Boolean).join(' / ')}</>
    }
    case 'url':
      return (
        <a href={value as string} target="_blank" rel="noreferrer">
          {value as string}
        </a>
      )
    default:
      return <>{String(value)}</>
  }
}
