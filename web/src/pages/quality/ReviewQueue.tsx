import { CheckOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Empty,
  Flex,
  Popconfirm,
  Progress,
  Segmented,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../api/client.js'
import { formatDateTime } from '../../components/labels.js'
import { useCan } from '../../session.js'
import '../intake/i18n.js'
import './i18n.js'

type Kind = 'duplicate' | 'invalid'
type Action = 'merge' | 'dismiss' | 'invalid'
type Item = Awaited<ReturnType<typeof loadPage>>['items'][number]
type LeadRecord = Record<string, unknown>

const loadPage = (kind: Kind, cursor?: string) =>
  call(api.GET('/api/v1/quality/review-items', { params: { query: { kind, limit: 50, cursor } } }))

/** The fields shown side by side; equal values are marked so a reviewer sees at once what matched. */
const COMPARED = ['name', 'mobile', 'phone', 'email', 'company', 'title', 'address', 'source'] as const

/**
 * 重复审核: what the data factory could not decide alone. Suspected duplicates show the incoming lead
 * beside the existing one; records kept with validation problems show what is wrong. Resolved one
 * by one or in bulk: merge, keep both (the pair is not raised again) or mark invalid.
 */
export function ReviewQueuePage() {
  const { t, i18n } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [kind, setKind] = useState<Kind>('duplicate')
  const [selected, setSelected] = useState<string[]>([])
  const [busy, setBusy] = useState(false)
  const pages = useInfiniteQuery({
    queryKey: ['review-items', kind],
    queryFn: ({ pageParam }) => loadPage(kind, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const items = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? [], [pages.data])
  const editable = can('quality.edit')

  const resolve = async (ids: string[], action: Action) => {
    setBusy(true)
    try {
      const res = await call(api.POST('/api/v1/quality/review-items/resolve', { body: { ids, action } }))
      message.success(t('quality.review.resolved', { n: res.resolved }))
      setSelected((s) => s.filter((id) => !ids.includes(id)))
      await qc.invalidateQueries({ queryKey: ['review-items'] })
    } catch (e) {
      message.error((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  // A duplicate pair can be merged or both kept; a lone record to verify can only be kept as it is
  // or marked invalid (`dismiss` closes the item without touching the lead).
  const actions = (ids: string[], size: 'small' | 'middle' = 'small', vertical = false) => (
    <Flex wrap gap={8} vertical={vertical} align={vertical ? 'stretch' : 'center'}>
      {kind === 'duplicate' &&
        (ids.length > 1 ? (
          // Many merges at once: each can be undone, but only one by one, so the reviewer confirms.
          <Popconfirm
            title={t('quality.review.confirmMerge', { n: ids.length })}
            description={t('quality.review.mergeHelp')}
            onConfirm={() => resolve(ids, 'merge')}
          >
            <Button size={size} type="primary" disabled={busy}>
              {t('quality.review.merge')}
            </Button>
          </Popconfirm>
        ) : (
          <Tooltip title={t('quality.review.mergeHelp')}>
            <Button size={size} type="primary" disabled={busy} onClick={() => resolve(ids, 'merge')}>
              {t('quality.review.merge')}
            </Button>
          </Tooltip>
        ))}
      <Button size={size} disabled={busy} onClick={() => resolve(ids, 'dismiss')}>
        {t(kind === 'duplicate' ? 'quality.review.keepBoth' : 'quality.review.keepAsIs')}
      </Button>
      <Popconfirm
        title={t('quality.review.confirmInvalid', { n: ids.length })}
        description={t('quality.review.invalidHelp')}
        okButtonProps={{ danger: true }}
        onConfirm={() => resolve(ids, 'invalid')}
      >
        <Button size={size} danger disabled={busy}>
          {t('quality.review.markInvalid')}
        </Button>
      </Popconfirm>
    </Flex>
  )

  const columns = [
    {
      title: t('quality.review.incoming'),
      key: 'lead',
      render: (_: unknown, i: Item) => (
        <LeadCard lead={i.lead} other={kind === 'duplicate' ? i.candidate : null} />
      ),
    },
    ...(kind === 'duplicate'
      ? [
          {
            title: t('quality.review.existing'),
            key: 'candidate',
            render: (_: unknown, i: Item) => <LeadCard lead={i.candidate} other={i.lead} />,
          },
          {
            title: t('quality.review.similarity'),
            key: 'similarity',
            width: 160,
            render: (_: unknown, i: Item) => (
              <Flex vertical gap={4}>
                {i.similarity == null ? (
                  '—'
                ) : (
                  <Progress percent={Math.round(i.similarity * 100)} size="small" status="normal" />
                )}
                <DiffSummary a={i.lead} b={i.candidate} />
                {i.rule && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="review-rule">
                    {t('quality.review.byRule', { name: i.rule.name })}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
        ]
      : [
          {
            title: t('quality.review.problems'),
            key: 'reasons',
            render: (_: unknown, i: Item) => (
              <Space size={[0, 4]} wrap>
                {i.reasons.map((r) => (
                  <Tag color="red" key={`${r.field}:${r.code}`}>
                    {t(`intake.field.${r.field}`, { defaultValue: r.field })}
                    {t('quality.review.colon')}
                    {t(`intake.issue.${r.code}`, { defaultValue: r.code })}
                    {r.value ? ` (${r.value})` : ''}
                  </Tag>
                ))}
              </Space>
            ),
          },
        ]),
    {
      title: t('quality.review.receivedAt'),
      dataIndex: 'createdAt',
      width: 120,
      render: (v: string) => formatDateTime(v, i18n.language),
    },
    ...(editable
      ? [
          {
            title: '',
            key: 'actions',
            width: 128,
            fixed: 'right' as const,
            render: (_: unknown, i: Item) => actions([i.id], 'small', true),
          },
        ]
      : []),
  ]

  return (
    <>
      <Typography.Title level={4}>{t('quality.review.title')}</Typography.Title>
      <div className="haina-toolbar">
        <Segmented
          value={kind}
          onChange={(v) => {
            setKind(v as Kind)
            setSelected([])
          }}
          options={[
            { value: 'duplicate', label: t('quality.review.duplicate') },
            { value: 'invalid', label: t('quality.review.invalid') },
          ]}
        />
        <span style={{ flex: 1 }} />
        {editable && selected.length > 0 && (
          <Space>
            <Typography.Text type="secondary">
              {t('quality.review.selected', { n: selected.length })}
            </Typography.Text>
            {actions(selected, 'middle')}
          </Space>
        )}
      </div>
      <Table
        rowKey="id"
        loading={pages.isLoading}
        dataSource={items}
        columns={columns}
        pagination={false}
        scroll={{ x: 760 }}
        rowSelection={
          editable
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
            : undefined
        }
        locale={{
          emptyText: pages.isLoading ? (
            <span />
          ) : (
            <Empty
              description={
                <>
                  <div>{t('quality.review.empty')}</div>
                  <Typography.Text type="secondary">
                    {t(kind === 'duplicate' ? 'quality.review.emptyHelp' : 'quality.review.emptyInvalidHelp')}
                  </Typography.Text>
                </>
              }
            >
              <Link to="/intake/rules">{t('quality.review.toRules')}</Link>
            </Empty>
          ),
        }}
      />
      {pages.hasNextPage && (
        <div style={{ textAlign: 'center', marginTop: 16 }}>
          <Button loading={pages.isFetchingNextPage} onClick={() => pages.fetchNextPage()}>
            {t('common.loadMore')}
          </Button>
        </div>
      )}
    </>
  )
}

/** The compared fields either lead has, in one order, so the two cards line up row by row. */
function comparedFields(a: LeadRecord | null, b: LeadRecord | null): string[] {
  const has = (l: LeadRecord | null, f: string) => l != null && l[f] != null && l[f] !== ''
  return COMPARED.filter((f) => f !== 'name' && (has(a, f) || has(b, f)))
}

/** How two values compare: a field only one lead has is 'missing', not a difference. */
function compare(a: unknown, b: unknown): 'same' | 'differs' | 'missing' {
  if (a == null || a === '' || b == null || b === '') return 'missing'
  return a === b ? 'same' : 'differs'
}

/**
 * One lead's compared fields. Beside another lead, every field either has is shown on both sides
 * (— where one lacks it): values that differ are marked red, equal ones carry a check.
 */
function LeadCard({ lead, other }: { lead: LeadRecord | null; other: LeadRecord | null }) {
  const { t } = useTranslation()
  if (!lead) return <Typography.Text type="secondary">{t('quality.review.hidden')}</Typography.Text>
  const fields = other ? comparedFields(lead, other) : comparedFields(lead, null)
  const nameCmp = other ? compare(lead.name, other.name) : 'missing'
  return (
    <div className="haina-compare">
      <Link to={`/leads/${lead.id}`}>
        <Typography.Text strong type={nameCmp === 'differs' ? 'danger' : undefined}>
          {String(lead.name ?? '—')}
        </Typography.Text>
      </Link>
      {fields.map((f) => {
        const v = lead[f]
        const cmp = other ? compare(v, other[f]) : 'missing'
        return (
          <div key={f} data-testid={other ? `cmp-${cmp}` : undefined} data-field={f}>
            <Typography.Text type="secondary">
              {t(`intake.field.${f}`)}
              {t('quality.review.colon')}
            </Typography.Text>
            {v == null || v === '' ? (
              <Typography.Text type="secondary">—</Typography.Text>
            ) : (
              <Typography.Text
                type={cmp === 'differs' ? 'danger' : undefined}
                style={cmp === 'differs' ? { background: '#fff1f0', padding: '0 2px' } : undefined}
              >
                {String(v)}
              </Typography.Text>
            )}
            {cmp === 'same' && (
              <Tooltip title={t('quality.review.same')}>
                <CheckOutlined
                  style={{ color: '#52c41a', marginInlineStart: 4 }}
                  aria-label={t('quality.review.same')}
                />
              </Tooltip>
            )}
          </div>
        )
      })}
    </div>
  )
}

/** "Differs: email, company" under the similarity: what the reviewer has to decide about. */
function DiffSummary({ a, b }: { a: LeadRecord | null; b: LeadRecord | null }) {
  const { t, i18n } = useTranslation()
  if (!a || !b) return null
  const differs = ['name', ...comparedFields(a, b)].filter((f) => compare(a[f], b[f]) === 'differs')
  const list = (fs: string[]) =>
    new Intl.ListFormat(i18n.language, { style: 'narrow', type: 'conjunction' }).format(
      fs.map((f) => t(`intake.field.${f}`)),
    )
  return (
    <Typography.Text
      type={differs.length ? 'danger' : 'success'}
      style={{ fontSize: 12 }}
      data-testid="diff-summary"
    >
      {differs.length ? t('quality.review.differs', { fields: list(differs) }) : t('quality.review.allSame')}
    </Typography.Text>
  )
}
