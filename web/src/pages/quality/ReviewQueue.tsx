import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Empty, Flex, Progress, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd'
import dayjs from 'dayjs'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../../api/client.js'
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
  const { t } = useTranslation()
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
      {kind === 'duplicate' && (
        <Tooltip title={t('quality.review.mergeHelp')}>
          <Button size={size} type="primary" disabled={busy} onClick={() => resolve(ids, 'merge')}>
            {t('quality.review.merge')}
          </Button>
        </Tooltip>
      )}
      <Button size={size} disabled={busy} onClick={() => resolve(ids, 'dismiss')}>
        {t(kind === 'duplicate' ? 'quality.review.keepBoth' : 'quality.review.keepAsIs')}
      </Button>
      <Button size={size} danger disabled={busy} onClick={() => resolve(ids, 'invalid')}>
        {t('quality.review.markInvalid')}
      </Button>
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
            width: 110,
            render: (_: unknown, i: Item) =>
              i.similarity == null ? (
                '—'
              ) : (
                <Progress percent={Math.round(i.similarity * 100)} size="small" status="normal" />
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
      width: 110,
      render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
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
        locale={{ emptyText: <Empty description={t('quality.review.empty')} /> }}
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

/** One lead's compared fields; values equal to the other lead's are tagged. */
function LeadCard({ lead, other }: { lead: LeadRecord | null; other: LeadRecord | null }) {
  const { t } = useTranslation()
  if (!lead) return <Typography.Text type="secondary">{t('quality.review.hidden')}</Typography.Text>
  const same = (f: string) => other != null && lead[f] != null && lead[f] !== '' && lead[f] === other[f]
  return (
    <div className="haina-compare">
      <Link to={`/leads/${lead.id}`}>
        <Typography.Text strong>{String(lead.name ?? '—')}</Typography.Text>
      </Link>
      {COMPARED.filter((f) => f !== 'name' && lead[f]).map((f) => (
        <div key={f}>
          <Typography.Text type="secondary">
            {t(`intake.field.${f}`)}
            {t('quality.review.colon')}
          </Typography.Text>
          <Typography.Text mark={same(f)}>{String(lead[f])}</Typography.Text>
        </div>
      ))}
    </div>
  )
}
