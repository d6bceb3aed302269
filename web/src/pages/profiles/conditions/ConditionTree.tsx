import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import {
  Alert,
  Button,
  DatePicker,
  Input,
  InputNumber,
  Segmented,
  Select,
  Skeleton,
  Space,
  Tag,
  Tooltip,
} from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { createContext, type ReactElement, useContext, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../../api/client.js'
import { RegionCascader, type RegionValue } from '../../../components/RegionCascader.js'
import { useChannels } from '../../../data.js'
import { useCan } from '../../../session.js'
import { RegionCodePicker } from '../../pool-settings/RegionCodePicker.js'
import { type TagGroupOption, useConditionCatalogue, useTagGroups } from './api.js'
import './conditions.css'
import './i18n.js'
import {
  asRoot,
  type Catalogue,
  type CatalogueField,
  type Condition,
  type ConditionGroup,
  type ConditionNode,
  type ConditionOperator,
  type ConditionParams,
  countLeaves,
  emptyLeaf,
  FIELD_GROUPS,
  isGroup,
  MAX_CONDITION_DEPTH,
  MAX_CONDITIONS,
  valueShape,
} from './types.js'

export * from './types.js'

/** A server field error (the `errors` of a 400 problem+json): `conditions.conditions[1].value`. */
export interface ConditionError {
  field: string
  message: string
  code?: string
}

/** The field errors of a failed request (an ApiError), for the `errors` prop; [] for anything else. */
export function conditionErrors(err: unknown): ConditionError[] {
  return err instanceof ApiError ? err.fields : []
}

export interface ConditionTreeProps {
  /** The tree. A lone leaf is shown wrapped in a root group; nothing is an empty "满足全部" group. */
  value?: ConditionNode | null
  /** Called with the whole new root group on every edit. */
  onChange?: (next: ConditionGroup) => void
  /** Server field errors; each lands on the leaf or group its path names (others under `prefix` on the root). */
  errors?: ConditionError[]
  /** The request body field that holds the tree, the start of the server's paths: 'conditions' (default), 'rule'. */
  prefix?: string
  /** Read only. */
  disabled?: boolean
  /** Nesting limit, the root group being level 1 (default: the server's 4). */
  maxDepth?: number
  /** data-testid of the root (default "condition-tree"). */
  testId?: string
}

/**
 * ConditionTree — the nested AND/OR builder of profile conditions, for dynamic segments and
 * automatic tag rules. Controlled:
 *
 *   <ConditionTree value={tree} onChange={setTree} errors={conditionErrors(saveError)} prefix="rule" />
 *
 * Groups switch between 满足全部 (AND) and 满足任一 (OR) and nest up to `maxDepth`; each leaf picks a
 * field from the catalogue (GET /api/v1/profile-conditions/fields, grouped 基本信息 … 交易), one of
 * that field's operators, a value editor by the field's kind (money in ¥ sent as 分, dates as
 * YYYY-MM-DD, tags as ids, regions as codes) and the field's parameters (最近 N 天, 事件类型,
 * 属性 = 值, 渠道). `isTreeComplete(tree)` says whether the tree is worth sending yet.
 *
 * data-testids: condition-tree (root), condition-group / condition-leaf (with data-path = the
 * server's path), condition-match, condition-field, condition-op, condition-value(-from/-to),
 * condition-param-<name>, condition-add, condition-add-group, condition-remove, condition-error.
 */
export function ConditionTree(props: ConditionTreeProps) {
  const { t } = useTranslation()
  const catalogue = useConditionCatalogue()
  const root = useMemo(() => asRoot(props.value), [props.value])
  const prefix = props.prefix ?? 'conditions'
  const needsTags = useMemo(() => usesKind(root, catalogue.data, 'tags'), [root, catalogue.data])
  const tagGroups = useTagGroups(needsTags)
  if (catalogue.isLoading) return <Skeleton active paragraph={{ rows: 3 }} />
  if (catalogue.error)
    return (
      <Alert
        type="error"
        showIcon
        title={t('conditions.fieldsFailed', { message: (catalogue.error as Error).message })}
      />
    )
  const ctx: Ctx = {
    catalogue: catalogue.data ?? { fields: [], eventTypes: [] },
    tagGroups: tagGroups.data?.items ?? [],
    errors: (props.errors ?? []).filter((e) => under(e.field, prefix)),
    disabled: !!props.disabled,
    maxDepth: props.maxDepth ?? MAX_CONDITION_DEPTH,
    leaves: countLeaves(root),
  }
  return (
    <TreeCtx.Provider value={ctx}>
      <div data-testid={props.testId ?? 'condition-tree'}>
        <GroupNode node={root} path={prefix} depth={1} onChange={(next) => props.onChange?.(next)} />
      </div>
    </TreeCtx.Provider>
  )
}

interface Ctx {
  catalogue: Catalogue
  tagGroups: TagGroupOption[]
  errors: ConditionError[]
  disabled: boolean
  maxDepth: number
  leaves: number
}
const TreeCtx = createContext<Ctx>({
  catalogue: { fields: [], eventTypes: [] },
  tagGroups: [],
  errors: [],
  disabled: false,
  maxDepth: MAX_CONDITION_DEPTH,
  leaves: 0,
})

/** `field` is `path` or below it. */
const under = (field: string, path: string) =>
  field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`)

/** The errors that name this group itself (not one of its children). */
function groupErrors(errors: ConditionError[], path: string) {
  return errors.filter((e) => {
    if (!under(e.field, path)) return false
    const rest = e.field.slice(path.length)
    return rest === '' || rest === '.match' || rest === '.conditions'
  })
}
/** The errors naming this leaf, with the part they name (field, op, value, params). */
function leafErrors(errors: ConditionError[], path: string) {
  return errors
    .filter((e) => under(e.field, path))
    .map((e) => ({ ...e, part: /^\.(\w+)/.exec(e.field.slice(path.length))?.[1] ?? '' }))
}

/** Whether any leaf of the tree uses a field of `kind` (the tag groups load only then). */
function usesKind(n: ConditionNode, catalogue: Catalogue | undefined, kind: string): boolean {
  if (isGroup(n)) return n.conditions.some((c) => usesKind(c, catalogue, kind))
  return catalogue?.fields.find((f) => f.field === n.field)?.kind === kind
}

// Stable React keys for the nodes of a controlled tree: an edit hands its key on to the new node.
const keys = new WeakMap<object, string>()
let nextKey = 0
const keyOf = (n: object) => {
  let k = keys.get(n)
  if (!k) {
    k = `n${++nextKey}`
    keys.set(n, k)
  }
  return k
}
const carry = <T extends object>(from: object, to: T): T => {
  keys.set(to, keyOf(from))
  return to
}

function GroupNode(props: {
  node: ConditionGroup
  path: string
  depth: number
  onChange: (next: ConditionGroup) => void
  onRemove?: () => void
}) {
  const { t } = useTranslation()
  const ctx = useContext(TreeCtx)
  const { node, path, depth } = props
  const errs = groupErrors(ctx.errors, path)
  const set = (conditions: ConditionNode[]) => props.onChange(carry(node, { ...node, conditions }))
  const replace = (i: number, next: ConditionNode) =>
    set(node.conditions.map((c, j) => (j === i ? carry(c, next) : c)))
  const remove = (i: number) => set(node.conditions.filter((_, j) => j !== i))
  const full = ctx.leaves >= MAX_CONDITIONS
  const deep = depth >= ctx.maxDepth
  const joiner = node.match === 'all' ? t('conditions.and') : t('conditions.or')
  return (
    <div
      className={`ct-group ct-depth-${Math.min(depth, 4)}${errs.length ? ' ct-bad' : ''}`}
      data-testid="condition-group"
      data-path={path}
    >
      <div className="ct-group-head">
        <Segmented
          size="small"
          value={node.match}
          disabled={ctx.disabled}
          onChange={(match) => props.onChange(carry(node, { ...node, match: match as 'all' | 'any' }))}
          options={[
            { value: 'all', label: t('conditions.match.all') },
            { value: 'any', label: t('conditions.match.any') },
          ]}
          data-testid="condition-match"
        />
        <span className="ct-spacer" />
        {props.onRemove && !ctx.disabled && (
          <Button
            size="small"
            type="text"
            danger
            icon={<DeleteOutlined />}
            onClick={props.onRemove}
            data-testid="condition-remove-group"
          >
            {t('conditions.removeGroup')}
          </Button>
        )}
      </div>
      <div className="ct-children">
        {node.conditions.length === 0 && (
          <div className="ct-row">
            <span className="ct-joiner" />
            <span style={{ color: '#8c8c8c', lineHeight: '32px' }}>{t('conditions.none')}</span>
          </div>
        )}
        {node.conditions.map((c, i) => {
          const childPath = `${path}.conditions[${i}]`
          return (
            <div className="ct-row" key={keyOf(c)}>
              <span className="ct-joiner">{i === 0 ? '' : joiner}</span>
              <div className="ct-body">
                {isGroup(c) ? (
                  <GroupNode
                    node={c}
                    path={childPath}
                    depth={depth + 1}
                    onChange={(next) => replace(i, next)}
                    onRemove={() => remove(i)}
                  />
                ) : (
                  <LeafNode
                    node={c}
                    path={childPath}
                    onChange={(next) => replace(i, next)}
                    onRemove={() => remove(i)}
                  />
                )}
              </div>
            </div>
          )
        })}
      </div>
      {errs.map((e) => (
        <div key={e.field + e.message} className="ct-error" data-testid="condition-error">
          {e.message}
        </div>
      ))}
      {!ctx.disabled && (
        <div className="ct-foot">
          <Tooltip title={full ? t('conditions.tooMany', { n: MAX_CONDITIONS }) : undefined}>
            <Button
              size="small"
              type="dashed"
              icon={<PlusOutlined />}
              disabled={full}
              onClick={() => set([...node.conditions, emptyLeaf()])}
              data-testid="condition-add"
            >
              {t('conditions.addCondition')}
            </Button>
          </Tooltip>
          <Tooltip
            title={
              deep
                ? t('conditions.depthLimit', { n: ctx.maxDepth })
                : full
                  ? t('conditions.tooMany', { n: MAX_CONDITIONS })
                  : undefined
            }
          >
            <Button
              size="small"
              type="dashed"
              icon={<PlusOutlined />}
              disabled={deep || full}
              onClick={() =>
                set([
                  ...node.conditions,
                  { match: node.match === 'all' ? 'any' : 'all', conditions: [emptyLeaf()] },
                ])
              }
              data-testid="condition-add-group"
            >
              {t('conditions.addGroup')}
            </Button>
          </Tooltip>
        </div>
      )}
    </div>
  )
}

/** A sensible first value for an operator (30 days for the relative date operators). */
const startValue = (op: string) => (valueShape(op) === 'days' ? 30 : undefined)

function LeafNode(props: {
  node: Condition
  path: string
  onChange: (next: Condition) => void
  onRemove: () => void
}) {
  const { t } = useTranslation()
  const ctx = useContext(TreeCtx)
  const { node, path } = props
  const field = ctx.catalogue.fields.find((f) => f.field === node.field)
  const errs = leafErrors(ctx.errors, path)
  const bad = (part: string) => (errs.some((e) => e.part === part) ? ('error' as const) : undefined)
  const fieldOptions = useMemo(
    () =>
      FIELD_GROUPS.map((g) => ({
        label: t(`conditions.group.${g}`),
        title: g,
        options: ctx.catalogue.fields
          .filter((f) => f.group === g)
          .map((f) => ({ value: f.field, label: f.label })),
      })).filter((g) => g.options.length > 0),
    [ctx.catalogue, t],
  )
  const pickField = (key: string) => {
    const f = ctx.catalogue.fields.find((x) => x.field === key)
    const op = (f?.ops[0] ?? 'eq') as ConditionOperator
    props.onChange({ field: key, op, value: startValue(op) })
  }
  const pickOp = (op: ConditionOperator) => {
    const keep = valueShape(op) === valueShape(node.op)
    const next: Condition = { ...node, op, value: keep ? node.value : startValue(op) }
    if (next.value === undefined) delete next.value
    props.onChange(next)
  }
  const setValue = (value: unknown) => {
    const next: Condition = { ...node, value }
    if (value === undefined) delete next.value
    props.onChange(next)
  }
  const setParams = (patch: Partial<ConditionParams>) => {
    const params: ConditionParams = { ...node.params, ...patch }
    for (const k of Object.keys(params) as (keyof ConditionParams)[])
      if (params[k] === undefined || params[k] === null || params[k] === '') delete params[k]
    const next: Condition = { ...node, params }
    if (!Object.keys(params).length) delete next.params
    props.onChange(next)
  }
  const unknown = node.field && !field
  return (
    <div data-testid="condition-leaf" data-path={path}>
      <div className="ct-leaf-row">
        <div className="ct-leaf">
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 200 }}
            placeholder={t('conditions.pickField')}
            aria-label={t('conditions.field')}
            value={node.field || undefined}
            options={
              unknown
                ? [
                    ...fieldOptions,
                    { value: node.field, label: t('conditions.unknownField', { field: node.field }) },
                  ]
                : fieldOptions
            }
            onChange={pickField}
            disabled={ctx.disabled}
            status={bad('field')}
            data-testid="condition-field"
          />
          {node.field && (
            <Select
              style={{ width: 130 }}
              aria-label={t('conditions.op')}
              value={node.op}
              options={(field?.ops ?? [node.op]).map((o) => ({ value: o, label: t(`conditions.ops.${o}`) }))}
              onChange={pickOp}
              disabled={ctx.disabled}
              status={bad('op')}
              popupMatchSelectWidth={false}
              data-testid="condition-op"
            />
          )}
          {field && (
            <ValueEditor
              field={field}
              op={node.op}
              value={node.value}
              onChange={setValue}
              status={bad('value')}
            />
          )}
          {field?.params?.length ? (
            <ParamsEditor field={field} params={node.params ?? {}} onChange={setParams} bad={bad('params')} />
          ) : null}
        </div>
        {!ctx.disabled && (
          <Tooltip title={t('conditions.remove')}>
            <Button
              type="text"
              icon={<DeleteOutlined />}
              aria-label={t('conditions.remove')}
              onClick={props.onRemove}
              data-testid="condition-remove"
            />
          </Tooltip>
        )}
      </div>
      {errs.map((e) => (
        <div key={e.field + e.message} className="ct-error" data-testid="condition-error">
          {e.message}
        </div>
      ))}
    </div>
  )
}

type Status = 'error' | undefined

/** The value control for a field kind and an operator's value shape. */
function ValueEditor(props: {
  field: CatalogueField
  op: ConditionOperator
  value: unknown
  onChange: (v: unknown) => void
  status: Status
}) {
  const { t } = useTranslation()
  const ctx = useContext(TreeCtx)
  const { field, op, value, onChange, status } = props
  const shape = valueShape(op)
  const disabled = ctx.disabled
  const common = { disabled, status, 'aria-label': t('conditions.value') }
  if (shape === 'none') return null
  if (shape === 'days')
    return (
      <InputNumber
        {...common}
        min={1}
        max={36500}
        precision={0}
        style={{ width: 110 }}
        suffix={t('conditions.days')}
        value={typeof value === 'number' ? value : null}
        onChange={(v) => onChange(v ?? undefined)}
        data-testid="condition-value"
      />
    )
  if (shape === 'pair') {
    const pair = (Array.isArray(value) ? value : [undefined, undefined]) as unknown[]
    if (field.kind === 'date')
      return (
        <DatePicker.RangePicker
          disabled={disabled}
          status={status}
          value={[toDay(pair[0]), toDay(pair[1])]}
          onChange={(v) =>
            onChange(v?.[0] && v[1] ? [v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')] : undefined)
          }
          data-testid="condition-value"
        />
      )
    const one = (i: 0 | 1) => (
      <NumberInput
        {...common}
        money={field.kind === 'money'}
        value={pair[i]}
        onChange={(v) => {
          const next = [...pair]
          next[i] = v
          onChange(next.every((x) => x === undefined) ? undefined : next)
        }}
        testId={i === 0 ? 'condition-value-from' : 'condition-value-to'}
      />
    )
    return (
      <Space size={4}>
        {one(0)}
        <span className="ct-label">{t('conditions.to')}</span>
        {one(1)}
      </Space>
    )
  }
  const many = shape === 'many'
  switch (field.kind) {
    case 'tags':
      return (
        <TagPicker
          value={asArray(value)}
          onChange={(ids) => onChange(ids.length ? ids : undefined)}
          groups={ctx.tagGroups}
          disabled={disabled}
          status={status}
        />
      )
    case 'channel':
      return (
        <ChannelSelect many={many} value={value} onChange={onChange} options={field.options} {...common} />
      )
    case 'identity':
      return (
        <OptionSelect
          {...common}
          many={many}
          value={value}
          onChange={onChange}
          options={
            field.options ??
            ['mobile', 'phone', 'email', 'openid', 'unionid', 'device', 'external', 'credit_code'].map(
              (k) => ({ value: k, label: t(`conditions.identity.${k}`) }),
            )
          }
        />
      )
    case 'enum':
      return (
        <OptionSelect
          {...common}
          many={many}
          value={value}
          onChange={onChange}
          options={field.options ?? []}
        />
      )
    case 'boolean':
      return (
        <OptionSelect
          {...common}
          many={many}
          value={value}
          onChange={onChange}
          options={[
            { value: true, label: t('conditions.yes') },
            { value: false, label: t('conditions.no') },
          ]}
        />
      )
    case 'region':
      return many ? (
        <RegionCodePicker
          multiple
          value={value}
          onChange={(v) => onChange(asArray(v).length ? v : undefined)}
          aria-label={t('conditions.value')}
        />
      ) : (
        <div data-testid="condition-value" className="ct-region">
          <RegionCascader
            value={regionOf(value)}
            onChange={(v) => onChange(v ? (v.district ?? v.city ?? v.province) : undefined)}
          />
        </div>
      )
    case 'date':
      return many ? (
        <FreeValues {...common} value={value} onChange={onChange} />
      ) : (
        <DatePicker
          disabled={disabled}
          status={status}
          value={toDay(value)}
          onChange={(d: Dayjs | null) => onChange(d ? d.format('YYYY-MM-DD') : undefined)}
          data-testid="condition-value"
        />
      )
    case 'number':
    case 'money':
      return many ? (
        <FreeValues {...common} numeric value={value} onChange={onChange} />
      ) : (
        <NumberInput {...common} money={field.kind === 'money'} value={value} onChange={onChange} />
      )
    default:
      return many ? (
        <FreeValues {...common} value={value} onChange={onChange} />
      ) : (
        <Input
          {...common}
          style={{ width: 200 }}
          placeholder={op === 'regex' ? t('conditions.regexPh') : t('conditions.valuePh')}
          value={value == null ? '' : String(value)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
          data-testid="condition-value"
        />
      )
  }
}

const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v == null ? [] : [String(v)])
const toDay = (v: unknown): Dayjs | null => {
  if (typeof v !== 'string' || !v) return null
  const d = dayjs(v)
  return d.isValid() ? d : null
}
/** A region code (2, 4 or 6 digits) as the cascader's levels. */
function regionOf(v: unknown): RegionValue | null {
  if (typeof v !== 'string' || !v) return null
  return {
    province: v.slice(0, 2),
    city: v.length >= 4 ? v.slice(0, 4) : undefined,
    district: v.length >= 6 ? v : undefined,
  }
}

/** A number, or money typed in ¥ and kept in 分. */
function NumberInput(props: {
  money?: boolean
  value: unknown
  onChange: (v: number | undefined) => void
  disabled: boolean
  status: Status
  testId?: string
}) {
  const { t } = useTranslation()
  const n = typeof props.value === 'number' ? props.value : null
  return (
    <InputNumber
      disabled={props.disabled}
      status={props.status}
      aria-label={t('conditions.value')}
      style={{ width: props.money ? 150 : 120 }}
      prefix={props.money ? '¥' : undefined}
      precision={props.money ? 2 : undefined}
      value={n === null ? null : props.money ? n / 100 : n}
      onChange={(v) =>
        props.onChange(v == null ? undefined : props.money ? Math.round(Number(v) * 100) : Number(v))
      }
      data-testid={props.testId ?? 'condition-value'}
    />
  )
}

/** Several typed values (Enter after each); numbers with `numeric`. */
function FreeValues(props: {
  value: unknown
  onChange: (v: unknown) => void
  numeric?: boolean
  disabled: boolean
  status: Status
}) {
  const { t } = useTranslation()
  return (
    <Select
      mode="tags"
      open={false}
      style={{ minWidth: 220 }}
      disabled={props.disabled}
      status={props.status}
      placeholder={t('conditions.valuesPh')}
      value={asArray(props.value)}
      onChange={(vs: string[]) => {
        const out = props.numeric ? vs.map(Number).filter((n) => !Number.isNaN(n)) : vs
        props.onChange(out.length ? out : undefined)
      }}
      data-testid="condition-value"
    />
  )
}

/** One option, or several for 属于 / 不属于 / 全部包含. */
function OptionSelect(props: {
  many: boolean
  value: unknown
  onChange: (v: unknown) => void
  options: { value: string | boolean; label: string }[]
  disabled: boolean
  status: Status
  placeholder?: string
  testId?: string
}) {
  const { t } = useTranslation()
  return (
    <Select
      mode={props.many ? 'multiple' : undefined}
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 180 }}
      popupMatchSelectWidth={false}
      disabled={props.disabled}
      status={props.status}
      placeholder={props.placeholder ?? t('conditions.pickValue')}
      maxTagCount="responsive"
      value={props.many ? asArray(props.value) : (props.value as string | undefined)}
      options={props.options as { value: string; label: string }[]}
      onChange={(v: unknown) => props.onChange(Array.isArray(v) && !v.length ? undefined : v)}
      allowClear={!props.many}
      data-testid={props.testId ?? 'condition-value'}
    />
  )
}

/** The channels a condition may name: the catalogue's own list, else the channel settings (if visible). */
function useChannelOptions(own?: { value: string; label: string }[]) {
  const ctx = useContext(TreeCtx)
  const can = useCan()
  const fromCatalogue = own ?? ctx.catalogue.fields.find((f) => f.kind === 'channel' && f.options)?.options
  const channels = useChannels(!fromCatalogue && can('intake.view')).data?.items ?? []
  return fromCatalogue ?? channels.map((c) => ({ value: c.id, label: c.name }))
}

function ChannelSelect(props: {
  many: boolean
  value: unknown
  onChange: (v: unknown) => void
  options?: { value: string; label: string }[]
  disabled: boolean
  status: Status
}) {
  const { t } = useTranslation()
  const options = useChannelOptions(props.options)
  return (
    <OptionSelect
      {...props}
      options={withCurrent(options, props.value)}
      placeholder={t('conditions.pickChannel')}
    />
  )
}

/** Keeps chosen values the list does not know (shown as they are, not lost). */
function withCurrent(options: { value: string; label: string }[], value: unknown) {
  const missing = asArray(value).filter((v) => !options.some((o) => o.value === v))
  return [...options, ...missing.map((v) => ({ value: v, label: v }))]
}

/**
 * Tags by their groups, each in its colour (value: tag ids). Exported for other profile pages.
 */
export function TagPicker(props: {
  value?: string[]
  onChange?: (ids: string[]) => void
  groups?: TagGroupOption[]
  disabled?: boolean
  status?: Status
  placeholder?: string
  style?: React.CSSProperties
}) {
  const { t } = useTranslation()
  const own = useTagGroups(!props.groups)
  const groups = props.groups ?? own.data?.items ?? []
  const colour = useMemo(() => {
    const m = new Map<string, { name: string; color: string | undefined }>()
    for (const g of groups)
      for (const tag of g.tags) m.set(tag.id, { name: tag.name, color: tag.color ?? g.color ?? undefined })
    return m
  }, [groups])
  const chip = (id: string, extra?: { closable?: boolean; onClose?: () => void }): ReactElement => {
    const tag = colour.get(id)
    return (
      <Tag
        color={tag?.color}
        closable={extra?.closable}
        onClose={extra?.onClose}
        onMouseDown={(e) => e.preventDefault()}
        style={{ marginInlineEnd: 4 }}
      >
        {tag?.name ?? id}
      </Tag>
    )
  }
  return (
    <Select
      mode="multiple"
      showSearch={{ optionFilterProp: 'label' }}
      style={{ minWidth: 240, ...props.style }}
      popupMatchSelectWidth={false}
      disabled={props.disabled}
      status={props.status}
      placeholder={props.placeholder ?? t('conditions.pickTags')}
      value={props.value ?? []}
      onChange={(ids: string[]) => props.onChange?.(ids)}
      options={groups
        .filter((g) => g.tags.length)
        .map((g) => ({
          label: g.name,
          title: g.name,
          options: g.tags.map((tag) => ({ value: tag.id, label: tag.name })),
        }))}
      optionRender={(o) => chip(String(o.value))}
      tagRender={(p) => chip(String(p.value), { closable: p.closable, onClose: p.onClose })}
      data-testid="condition-value"
    />
  )
}

/** The field's parameters: 最近 N 天, 事件类型, 属性 = 值, 渠道. */
function ParamsEditor(props: {
  field: CatalogueField
  params: ConditionParams
  onChange: (patch: Partial<ConditionParams>) => void
  bad: Status
}) {
  const { t } = useTranslation()
  const ctx = useContext(TreeCtx)
  const channels = useChannelOptions()
  const [typed, setTyped] = useState('')
  const has = new Set(props.field.params ?? [])
  const p = props.params
  const disabled = ctx.disabled
  const eventOptions = useMemo(() => {
    const known = ctx.catalogue.eventTypes
    const extra = [p.eventType, typed.trim()].filter(
      (v): v is string => !!v && !known.some((k) => k.value === v),
    )
    return [...known, ...[...new Set(extra)].map((v) => ({ value: v, label: v }))]
  }, [ctx.catalogue.eventTypes, p.eventType, typed])
  return (
    <>
      {has.has('eventType') && (
        <span className="ct-param">
          <span className="ct-label">{t('conditions.param.eventType')}</span>
          <Select
            showSearch={{ optionFilterProp: 'label', onSearch: setTyped }}
            allowClear
            style={{ width: 160 }}
            popupMatchSelectWidth={false}
            disabled={disabled}
            status={props.bad}
            placeholder={t('conditions.param.eventTypePh')}
            value={p.eventType}
            options={eventOptions}
            onChange={(v?: string) => {
              setTyped('')
              props.onChange({ eventType: v })
            }}
            data-testid="condition-param-eventType"
          />
        </span>
      )}
      {has.has('days') && (
        <span className="ct-param">
          <span className="ct-label">{t('conditions.param.days')}</span>
          <InputNumber
            min={1}
            max={36500}
            precision={0}
            style={{ width: 100 }}
            disabled={disabled}
            status={props.bad}
            placeholder={t('conditions.param.daysPh')}
            suffix={t('conditions.param.daysSuffix')}
            value={p.days ?? null}
            onChange={(v) => props.onChange({ days: v ?? undefined })}
            data-testid="condition-param-days"
          />
        </span>
      )}
      {has.has('property') && (
        <span className="ct-param">
          <span className="ct-label">{t('conditions.param.property')}</span>
          <Input
            style={{ width: 110 }}
            disabled={disabled}
            status={props.bad}
            placeholder={t('conditions.param.propertyPh')}
            value={p.property ?? ''}
            onChange={(e) => props.onChange({ property: e.target.value })}
            data-testid="condition-param-property"
          />
          {has.has('propertyValue') && (
            <>
              <span className="ct-label">=</span>
              <Input
                style={{ width: 120 }}
                disabled={disabled}
                status={props.bad}
                placeholder={t('conditions.param.propertyValuePh')}
                value={p.propertyValue ?? ''}
                onChange={(e) => props.onChange({ propertyValue: e.target.value })}
                data-testid="condition-param-propertyValue"
              />
            </>
          )}
        </span>
      )}
      {has.has('channelId') && (
        <span className="ct-param">
          <span className="ct-label">{t('conditions.param.channelId')}</span>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 160 }}
            popupMatchSelectWidth={false}
            disabled={disabled}
            status={props.bad}
            placeholder={t('conditions.param.anyChannel')}
            value={p.channelId}
            options={withCurrent(channels, p.channelId)}
            onChange={(v?: string) => props.onChange({ channelId: v })}
            data-testid="condition-param-channelId"
          />
        </span>
      )}
    </>
  )
}
