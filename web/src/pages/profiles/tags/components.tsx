import { CheckCircleFilled, CloseCircleFilled, TagsOutlined, ThunderboltOutlined } from '@ant-design/icons'
import { useQuery } from '@tanstack/react-query'
import {
  Alert,
  App,
  Button,
  type ButtonProps,
  Form,
  List,
  Modal,
  Popover,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd'
import type { CSSProperties, MouseEvent, ReactNode } from 'react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useChannels } from '../../../data.js'
import { useCan } from '../../../session.js'
import { useNameOf } from '../../pools/api.js'
import { why } from '../../pools/outcome.js'
import { RegionName } from '../../sales/customers/bits.js'
import { useFormat } from '../../sales/format.js'
import { useConditionCatalogue } from '../conditions/api.js'
import '../conditions/i18n.js'
import {
  type ExplainedCondition,
  type SubjectType,
  type TagGroup,
  type TaggingResult,
  type TagSource,
  tagsApi,
  useRefreshTags,
  useTagGroups,
} from './api.js'
import { cssColor } from './colors.js'
import './i18n.js'

/*
 * Shared tag components (persons, leads, customers, segments import these):
 *
 * <TagList tags personId? explain? onRemove? max? empty? size? />
 *   tags      {id, name, color, auto?, source?, groupName?, addedAt?, addedBy?}[] — a TagView or a bare chip.
 *   personId  whose tags these are; with it each tag opens (on click) a popover that loads
 *             GET /persons/:id/tags/:tagId/explanation: every rule condition with the person's actual
 *             value and ✓/✗, or "手动添加 · who · when" for a tag not given by a rule.
 *   explain   false turns the popover off even with personId (default: on when personId is given).
 *   onRemove  (tag) => void | Promise — shows a close icon on each tag; the caller removes it (POST /tagging)
 *             and refreshes its data (the chip is not hidden locally).
 *   max       show the first N tags and "+k" (the rest in a tooltip popover); default all.
 *   empty     what to show for no tags (default "—").
 *
 * <TagPicker value onChange exclude? exclusive? placeholder? disabled? style? data-testid? />
 *   Multiple select of tag ids grouped by tag group (GET /tag-groups); picking a tag of a single-choice
 *   (exclusive) group drops the other picked tags of that group. `exclude`: tag ids not offered
 *   (e.g. the ones the person already carries). `exclusive={false}` lifts the one-per-group rule (for
 *   tags to remove). Works as an antd Form control.
 *
 * <BulkTagButton subjectType ids onDone? disabled? size? type? children? />
 *   subjectType 'person' | 'lead' | 'customer'; ids the selected records (≤ 1000). Renders nothing
 *   without profiles.edit. Opens a modal to pick tags to add and to remove → POST /tagging → a message
 *   "已更新 N 人，跳过 M 条" (skipped reasons listed in a dialog) → onDone(result). Tag queries are refreshed.
 */

/** A tag as lists and profiles carry it. */
export interface TagChip {
  id: string
  name: string
  color?: string | null
  auto?: boolean
  source?: TagSource | string | null
  groupName?: string | null
  addedAt?: string | null
  addedBy?: string | null
}

const isAuto = (tag: TagChip) => tag.auto ?? tag.source === 'rule'

export function TagList(props: {
  tags: TagChip[]
  personId?: string
  explain?: boolean
  onRemove?: (tag: TagChip) => unknown
  max?: number
  empty?: ReactNode
  size?: 'small' | 'default'
}) {
  const can = useCan()
  const groups = useTagGroups(can('profiles.view')).data
  const { max } = props
  // A tag without its own colour shows its group's.
  const groupColor = new Map<string, string | null>()
  for (const g of groups ?? []) for (const x of g.tags) groupColor.set(x.id, x.color ?? g.color)
  const tags = props.tags.map((x) => (x.color ? x : { ...x, color: groupColor.get(x.id) ?? null }))
  if (!tags.length) return <>{props.empty ?? '—'}</>
  const shown = max && tags.length > max ? tags.slice(0, max) : tags
  const rest = tags.slice(shown.length)
  const explain = props.explain ?? Boolean(props.personId)
  return (
    <span
      className="haina-tag-list"
      data-testid="tag-list"
      style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4 }}
    >
      {shown.map((tag) => (
        <OneTag
          key={tag.id}
          tag={tag}
          personId={explain ? props.personId : undefined}
          onRemove={props.onRemove}
          small={props.size === 'small'}
        />
      ))}
      {rest.length > 0 && (
        <Popover
          content={
            <span style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4, maxWidth: 320 }}>
              {rest.map((tag) => (
                <OneTag key={tag.id} tag={tag} personId={explain ? props.personId : undefined} />
              ))}
            </span>
          }
        >
          <Tag data-testid="tag-list-more">+{rest.length}</Tag>
        </Popover>
      )}
    </span>
  )
}

function OneTag(props: {
  tag: TagChip
  personId?: string
  onRemove?: (tag: TagChip) => unknown
  small?: boolean
}) {
  const { tag, personId } = props
  const [open, setOpen] = useState(false)
  const chip = (
    <Tag
      color={tag.color ?? undefined}
      icon={isAuto(tag) ? <ThunderboltOutlined /> : undefined}
      closable={Boolean(props.onRemove)}
      onClose={(e) => {
        // The caller removes it and refreshes; the popover must not open on the close icon.
        e.preventDefault()
        e.stopPropagation()
        void props.onRemove?.(tag)
      }}
      style={{
        marginInlineEnd: 0,
        cursor: personId ? 'pointer' : undefined,
        ...(props.small ? { fontSize: 12 } : {}),
      }}
      // A tag inside a clickable row opens its explanation, not the row.
      onClick={personId ? (e: MouseEvent) => e.stopPropagation() : undefined}
      data-testid="tag-chip"
      data-tag-id={tag.id}
    >
      {tag.name}
    </Tag>
  )
  if (!personId) return chip
  return (
    <Popover
      trigger="click"
      open={open}
      onOpenChange={setOpen}
      destroyOnHidden
      title={
        <Space size={6}>
          <Tag color={tag.color ?? undefined} style={{ marginInlineEnd: 0 }}>
            {tag.name}
          </Tag>
          {tag.groupName && <Typography.Text type="secondary">{tag.groupName}</Typography.Text>}
        </Space>
      }
      content={open ? <TagExplanation personId={personId} tag={tag} /> : null}
    >
      {chip}
    </Popover>
  )
}

/** The explanation of one of a person's tags (the popover's body). */
export function TagExplanation({ personId, tag }: { personId: string; tag: TagChip }) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const nameOf = useNameOf()
  const q = useQuery({
    queryKey: ['tag-explanation', personId, tag.id],
    queryFn: () => tagsApi.explanation(personId, tag.id),
  })
  const show = useConditionText()
  if (q.isLoading) return <Spin size="small" />
  if (q.error)
    return <Alert type="error" showIcon title={t('profileTags.explain.failed', { message: why(q.error) })} />
  const x = q.data
  if (!x) return null
  const source = x.source ?? (tag.source as TagSource | undefined) ?? null
  const at = x.addedAt ?? tag.addedAt
  const by = x.addedBy ?? tag.addedBy
  const who = by
    ? (nameOf(by, x.addedByName) ?? t('profileTags.explain.someone'))
    : t('profileTags.explain.system')
  const conditions = x.conditions ?? []
  return (
    <div style={{ maxWidth: 420 }} data-testid="tag-explanation">
      {source === 'rule' ? (
        <Typography.Paragraph style={{ marginBottom: 8 }}>
          <ThunderboltOutlined /> {t('profileTags.explain.byRule')}
          {at ? ` · ${fmt.dateTime(at)}` : ''}
        </Typography.Paragraph>
      ) : (
        <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="tag-explanation-manual">
          {t('profileTags.explain.added', {
            source: t(`profileTags.explain.source.${source ?? 'manual'}`, { defaultValue: String(source) }),
            who,
            at: at ? fmt.dateTime(at) : '—',
          })}
        </Typography.Paragraph>
      )}
      {conditions.length > 0 && (
        <>
          {source === 'rule' && (
            <Typography.Text type={x.holds ? 'success' : 'warning'}>
              {x.holds ? t('profileTags.explain.holds') : t('profileTags.explain.notHolds')}
            </Typography.Text>
          )}
          <List
            size="small"
            dataSource={conditions}
            renderItem={(c) => (
              <List.Item
                style={{ paddingInline: 0 }}
                data-testid="tag-explanation-condition"
                data-holds={c.holds}
              >
                <Space align="start" size={8}>
                  {c.holds ? (
                    <CheckCircleFilled style={{ color: '#52c41a', marginTop: 4 }} aria-label="✓" />
                  ) : (
                    <CloseCircleFilled style={{ color: '#ff4d4f', marginTop: 4 }} aria-label="✗" />
                  )}
                  <span>
                    <div>{show.condition(c)}</div>
                    <Typography.Text type="secondary">
                      {t('profileTags.explain.actual')}：{show.value(c.field, c.actual, true)}
                    </Typography.Text>
                  </span>
                </Space>
              </List.Item>
            )}
          />
        </>
      )}
    </div>
  )
}

/** Conditions and values in words: field labels, operator names, tag / channel / option names, ¥, dates. */
function useConditionText() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const can = useCan()
  const catalogue = useConditionCatalogue().data
  const groups = useTagGroups().data ?? []
  const channels = useChannels(can('intake.view')).data?.items ?? []
  const fieldOf = (field: string) => catalogue?.fields.find((f) => f.field === field)
  const tagName = (id: string) => {
    for (const g of groups) for (const x of g.tags) if (x.id === id) return x.name
    return id
  }
  const none = t('profileTags.explain.none')
  const one = (field: string, v: unknown): ReactNode => {
    if (v === null || v === undefined || v === '') return none
    const f = fieldOf(field)
    const kind = f?.kind
    if (typeof v === 'boolean') return v ? t('profileTags.explain.yes') : t('profileTags.explain.no')
    // Tags and channels come back as {id, name}.
    if (typeof v === 'object' && 'name' in v) return String((v as { name: unknown }).name)
    if (kind === 'tags') return tagName(String(v))
    if (kind === 'channel') return channels.find((c) => c.id === v)?.name ?? String(v)
    if (kind === 'identity') return t(`conditions.identity.${v}`, { defaultValue: String(v) })
    if (kind === 'region') return <RegionName code={String(v)} />
    if (kind === 'money' && typeof v === 'number') return fmt.money(v)
    if (kind === 'date' && typeof v === 'string') return /\d:\d/.test(v) ? fmt.dateTime(v) : fmt.date(v)
    const option = f?.options?.find((o) => o.value === v)
    if (option) return option.label
    if (typeof v === 'object') return JSON.stringify(v)
    return String(v)
  }
  const value = (field: string, v: unknown, actual = false): ReactNode => {
    if (Array.isArray(v)) {
      if (!v.length) return none
      return (
        <>
          {v.map((x, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: values may repeat
            <span key={i}>
              {i > 0 && (actual ? '、' : ' / ')}
              {one(field, x)}
            </span>
          ))}
        </>
      )
    }
    return one(field, v)
  }
  const params = (c: ExplainedCondition) => {
    const p = c.params ?? {}
    const out: string[] = []
    if (p.eventType) {
      const label = catalogue?.eventTypes.find((e) => e.value === p.eventType)?.label ?? String(p.eventType)
      out.push(t('profileTags.explain.params.eventType', { v: label }))
    }
    if (p.property)
      out.push(t('profileTags.explain.params.property', { p: p.property, v: p.propertyValue ?? '' }))
    if (p.channelId)
      out.push(
        t('profileTags.explain.params.channelId', {
          v: channels.find((x) => x.id === p.channelId)?.name ?? String(p.channelId),
        }),
      )
    if (typeof p.days === 'number') out.push(t('profileTags.explain.params.days', { n: p.days }))
    return out.length ? `（${out.join('，')}）` : ''
  }
  const condition = (c: ExplainedCondition): ReactNode => {
    const label = fieldOf(c.field)?.label ?? c.field
    const op = t(`conditions.ops.${c.op}`, { defaultValue: c.op })
    let rhs: ReactNode = null
    if (c.op === 'in_last_days')
      return `${label}${params(c)} ${t('profileTags.explain.inLastDays', { n: c.value })}`
    if (c.op === 'not_in_last_days')
      return `${label}${params(c)} ${t('profileTags.explain.notInLastDays', { n: c.value })}`
    if (c.op !== 'empty' && c.op !== 'not_empty') rhs = value(c.field, c.value)
    return (
      <>
        <Typography.Text strong>{label}</Typography.Text>
        {params(c)} {op} {rhs}
      </>
    )
  }
  return { condition, value }
}

export function TagPicker(props: {
  value?: string[]
  onChange?: (ids: string[]) => void
  exclude?: string[]
  placeholder?: string
  disabled?: boolean
  style?: CSSProperties
  /** false: several tags of a single-choice group may be picked (e.g. tags to remove). Default true. */
  exclusive?: boolean
  'data-testid'?: string
}) {
  const { t } = useTranslation()
  const groups = useTagGroups()
  const value = props.value ?? []
  const excluded = new Set(props.exclude ?? [])
  const all = groups.data ?? []
  const tagIndex = new Map<string, { group: TagGroup; color: string | null; name: string }>()
  for (const g of all)
    for (const x of g.tags) tagIndex.set(x.id, { group: g, color: x.color ?? g.color, name: x.name })
  const onChange = (next: string[]) => {
    const added = next.filter((id) => !value.includes(id))
    // An exclusive group keeps only the newest pick.
    let out = next
    if (props.exclusive !== false)
      for (const id of added) {
        const group = tagIndex.get(id)?.group
        if (group?.exclusive) out = out.filter((o) => o === id || tagIndex.get(o)?.group.id !== group.id)
      }
    props.onChange?.(out)
  }
  return (
    <Select
      mode="multiple"
      value={value}
      onChange={onChange}
      disabled={props.disabled}
      loading={groups.isLoading}
      placeholder={
        groups.isLoading
          ? t('profileTags.picker.loading')
          : (props.placeholder ?? t('profileTags.picker.placeholder'))
      }
      style={{ minWidth: 220, ...props.style }}
      data-testid={props['data-testid'] ?? 'tag-picker'}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear
      maxTagCount="responsive"
      options={all
        .map((g) => ({
          key: g.id,
          label: (
            <span>
              {g.name}
              {g.exclusive && (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {' '}
                  · {t('profileTags.picker.single')}
                </Typography.Text>
              )}
            </span>
          ),
          title: g.name,
          options: g.tags
            .filter((x) => !excluded.has(x.id) || value.includes(x.id))
            .map((x) => ({ value: x.id, label: x.name })),
        }))
        .filter((g) => g.options.length)}
      optionRender={(o) => {
        const info = tagIndex.get(String(o.value))
        return (
          <Space size={6}>
            <span
              style={{
                display: 'inline-block',
                width: 8,
                height: 8,
                borderRadius: 4,
                background: cssColor(info?.color) ?? '#d9d9d9',
              }}
            />
            {o.label}
          </Space>
        )
      }}
      tagRender={(p) => {
        const info = tagIndex.get(String(p.value))
        return (
          <Tag
            color={info?.color ?? undefined}
            closable={p.closable}
            onClose={p.onClose}
            onMouseDown={(e) => e.preventDefault()}
            style={{ marginInlineEnd: 4 }}
          >
            {info?.name ?? p.label}
          </Tag>
        )
      }}
    />
  )
}

const MAX_BULK = 1000

export function BulkTagButton(props: {
  subjectType: SubjectType
  ids: string[]
  onDone?: (result: TaggingResult) => void
  disabled?: boolean
  size?: ButtonProps['size']
  type?: ButtonProps['type']
  children?: ReactNode
}) {
  const { t } = useTranslation()
  const can = useCan()
  const { message, modal } = App.useApp()
  const refresh = useRefreshTags()
  const [open, setOpen] = useState(false)
  const [add, setAdd] = useState<string[]>([])
  const [remove, setRemove] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  if (!can('profiles.edit')) return null
  const n = props.ids.length
  const close = () => {
    setOpen(false)
    setAdd([])
    setRemove([])
    setProblem(null)
  }
  const submit = async () => {
    if (!add.length && !remove.length) return setProblem(t('profileTags.bulk.nothing'))
    if (add.some((id) => remove.includes(id))) return setProblem(t('profileTags.bulk.overlap'))
    setBusy(true)
    try {
      const r = await tagsApi.tagging({ subjectType: props.subjectType, ids: props.ids, add, remove })
      if (r.skipped.length) {
        message.warning(t('profileTags.bulk.doneSkipped', { n: r.updated, skipped: r.skipped.length }))
        modal.info({
          title: t('profileTags.bulk.skippedTitle'),
          content: (
            <List
              size="small"
              dataSource={r.skipped.slice(0, 50)}
              renderItem={(s) => (
                <List.Item>
                  <Typography.Text code>{s.id}</Typography.Text> {s.reason}
                </List.Item>
              )}
            />
          ),
        })
      } else message.success(t('profileTags.bulk.done', { n: r.updated }))
      close()
      await refresh()
      props.onDone?.(r)
    } catch (e) {
      setProblem(why(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <Button
        size={props.size ?? 'small'}
        type={props.type}
        icon={<TagsOutlined />}
        disabled={props.disabled || !n}
        onClick={() => setOpen(true)}
        data-testid="bulk-tag"
      >
        {props.children ?? t('profileTags.bulk.button')}
      </Button>
      <Modal
        open={open}
        title={t('profileTags.bulk.title', {
          n,
          subject: t(`profileTags.bulk.subject.${props.subjectType}`),
        })}
        onCancel={close}
        onOk={submit}
        okButtonProps={{ disabled: n > MAX_BULK, 'data-testid': 'bulk-tag-save' } as ButtonProps}
        confirmLoading={busy}
        destroyOnHidden
      >
        <Form layout="vertical" data-testid="bulk-tag-form">
          <Typography.Paragraph type="secondary">{t('profileTags.bulk.help')}</Typography.Paragraph>
          <Form.Item label={t('profileTags.bulk.add')}>
            <TagPicker
              value={add}
              onChange={(v) => {
                setAdd(v)
                setProblem(null)
              }}
              data-testid="bulk-tag-add"
            />
          </Form.Item>
          <Form.Item label={t('profileTags.bulk.remove')}>
            <TagPicker
              value={remove}
              exclusive={false}
              onChange={(v) => {
                setRemove(v)
                setProblem(null)
              }}
              data-testid="bulk-tag-remove"
            />
          </Form.Item>
          {n > MAX_BULK && (
            <Alert type="warning" showIcon title={t('profileTags.bulk.tooMany', { n: MAX_BULK })} />
          )}
          {problem && <Alert type="error" showIcon title={problem} data-testid="bulk-tag-error" />}
        </Form>
      </Modal>
    </>
  )
}
