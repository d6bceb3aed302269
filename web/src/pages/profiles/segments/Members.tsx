import { UploadOutlined, UserDeleteOutlined } from '@ant-design/icons'
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query'
import { Alert, App, Button, Empty, Popconfirm, Space, Table, Tag, Typography, Upload } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useCan } from '../../../session.js'
import { useFormat } from '../../sales/format.js'
import { type ImportResult, type Member, type Segment, segmentsApi } from './api.js'
import './i18n.js'

/**
 * A segment's members, 50 at a time (only the persons the caller sees). A static segment also takes
 * an uploaded list (phone, email or profile id) and lets selected members go.
 */
export function Members({ segment }: { segment: Segment }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const can = useCan()
  const fmt = useFormat()
  const qc = useQueryClient()
  const editable = segment.kind === 'static' && can('segments.edit')
  const [selected, setSelected] = useState<string[]>([])
  const [result, setResult] = useState<ImportResult | null>(null)
  const members = useInfiniteQuery({
    queryKey: ['segments', segment.id, 'members'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => segmentsApi.members(segment.id, pageParam),
    getNextPageParam: (p) => p.nextCursor,
  })
  const rows = members.data?.pages.flatMap((p) => p.items) ?? []
  const changed = () => {
    void qc.invalidateQueries({ queryKey: ['segments', segment.id] })
    void qc.invalidateQueries({ queryKey: ['segments', 'list'] })
  }
  const upload = useMutation({
    mutationFn: (file: File) => segmentsApi.importMembers(segment.id, file),
    onSuccess: (r) => {
      setResult(r)
      changed()
    },
    onError: (e) => message.error(e.message),
  })
  const remove = useMutation({
    mutationFn: (ids: string[]) => segmentsApi.removeMembers(segment.id, ids),
    onSuccess: (r) => {
      message.success(t('segments.members.removed', { size: r.size }))
      setSelected([])
      changed()
    },
    onError: (e) => message.error(e.message),
  })
  const columns: ColumnsType<Member> = [
    {
      key: 'name',
      title: t('segments.members.name'),
      render: (_, m) => <Link to={`/persons/${m.personId}`}>{m.name || '—'}</Link>,
    },
    { key: 'company', title: t('segments.members.company'), render: (_, m) => m.company || '—' },
    {
      key: 'region',
      title: t('segments.members.region'),
      render: (_, m) => m.regionName || m.regionCode || '—',
    },
    { key: 'mobile', title: t('segments.members.mobile'), render: (_, m) => m.mobile || '—' },
    {
      key: 'tags',
      title: t('segments.members.tags'),
      render: (_, m) =>
        m.tags.length ? (
          <Space size={[0, 4]} wrap>
            {m.tags.map((tag) => (
              <Tag key={tag.id} color={tag.color ?? undefined}>
                {tag.name}
              </Tag>
            ))}
          </Space>
        ) : (
          '—'
        ),
    },
    { key: 'addedAt', title: t('segments.members.addedAt'), render: (_, m) => fmt.dateTime(m.addedAt) },
  ]
  return (
    <>
      <Typography.Paragraph type="secondary">
        {segment.kind === 'static' ? t('segments.members.staticHelp') : t('segments.members.dynamicHelp')}
      </Typography.Paragraph>
      <div className="haina-toolbar">
        <Typography.Text strong data-testid="segment-members-total">
          {t('segments.members.total', { n: segment.memberCount.toLocaleString() })}
        </Typography.Text>
        <span style={{ flex: 1 }} />
        {editable && selected.length > 0 && (
          <Popconfirm
            title={t('segments.members.confirmRemove', { n: selected.length })}
            onConfirm={() => remove.mutateAsync(selected)}
          >
            <Button danger icon={<UserDeleteOutlined />} data-testid="segment-members-remove">
              {t('segments.members.removeSelected', { n: selected.length })}
            </Button>
          </Popconfirm>
        )}
        {editable && (
          <Upload
            accept=".csv,.txt,.xlsx"
            showUploadList={false}
            beforeUpload={(file) => {
              setResult(null)
              upload.mutate(file)
              return false
            }}
          >
            <Button
              type="primary"
              icon={<UploadOutlined />}
              loading={upload.isPending}
              data-testid="segment-members-upload"
            >
              {t('segments.members.upload')}
            </Button>
          </Upload>
        )}
      </div>
      {editable && !result && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('segments.members.uploadHint')}
        </Typography.Paragraph>
      )}
      {result && (
        <Alert
          style={{ marginBottom: 12 }}
          type={result.notFoundCount ? 'warning' : 'success'}
          showIcon
          closable={{ onClose: () => setResult(null) }}
          title={t('segments.members.importDone', { rows: result.rows, added: result.added })}
          description={
            result.notFoundCount ? (
              <>
                <div>{t('segments.members.notFound', { n: result.notFoundCount })}</div>
                <Table
                  size="small"
                  rowKey={(r) => `${r.row}-${r.value}`}
                  pagination={result.notFound.length > 10 ? { pageSize: 10, size: 'small' } : false}
                  dataSource={result.notFound}
                  columns={[
                    { key: 'row', title: t('segments.members.row'), dataIndex: 'row', width: 80 },
                    { key: 'value', title: t('segments.members.value'), dataIndex: 'value' },
                  ]}
                  style={{ marginTop: 8, maxWidth: 480 }}
                />
              </>
            ) : undefined
          }
          data-testid="segment-import-result"
        />
      )}
      <Table<Member>
        rowKey="personId"
        size="middle"
        loading={members.isLoading}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        rowSelection={
          editable
            ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]) }
            : undefined
        }
        locale={{
          emptyText: (
            <Empty description={members.error ? members.error.message : t('segments.members.empty')} />
          ),
        }}
        data-testid="segment-members"
      />
      {members.hasNextPage && (
        <Button
          style={{ marginTop: 12 }}
          onClick={() => members.fetchNextPage()}
          loading={members.isFetchingNextPage}
          data-testid="segment-members-more"
        >
          {t('common.loadMore')}
        </Button>
      )}
    </>
  )
}
