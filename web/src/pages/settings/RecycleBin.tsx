import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Empty, Input, Popconfirm, Space, Table, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, listQuery } from '../../api/client.js'
import { codeLabel, formatDateTime } from '../../components/labels.js'
import { useUsers } from '../../data.js'
import { useCan } from '../../session.js'

export function RecycleBinPage() {
  const { t, i18n } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [q, setQ] = useState('')
  const users = useUsers(can('users.view')).data?.items ?? []
  const bin = useQuery({
    queryKey: ['recycle-bin', q],
    queryFn: () =>
      call(api.GET('/api/v1/recycle-bin', { params: { query: listQuery({ filter: { q }, limit: 200 }) } })),
  })
  const act = async (id: string, purge: boolean) => {
    try {
      if (purge) await call(api.DELETE('/api/v1/recycle-bin/{id}', { params: { path: { id } } }))
      else await call(api.POST('/api/v1/recycle-bin/{id}/restore', { params: { path: { id } } }))
      if (!purge) message.success(t('bin.restored'))
      await qc.invalidateQueries()
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  return (
    <>
      <Typography.Title level={4}>{t('bin.title')}</Typography.Title>
      <div className="haina-toolbar">
        <Input.Search allowClear style={{ width: 220 }} placeholder={t('common.search')} onSearch={setQ} />
      </div>
      <Table
        rowKey="id"
        loading={bin.isLoading}
        dataSource={bin.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty description={t('bin.empty')} /> }}
        data-testid="recycle-bin"
        columns={[
          { key: 'label', title: t('common.name'), render: (_, r) => r.label ?? r.objectId },
          {
            key: 'type',
            title: t('audit.objectType'),
            render: (_, r) => codeLabel(t, 'audit.objects', r.objectType),
          },
          {
            key: 'by',
            title: t('bin.deletedBy'),
            // A user no longer listed (or not visible to the reader) shows as a dash, not as an id.
            render: (_, r) => users.find((u) => u.id === r.deletedBy)?.name ?? '—',
          },
          {
            key: 'at',
            title: t('bin.deletedAt'),
            render: (_, r) => formatDateTime(r.deletedAt, i18n.language),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, r) => (
              <Space>
                {can('recycle_bin.edit') && (
                  <Button type="link" size="small" onClick={() => act(r.id, false)}>
                    {t('bin.restore')}
                  </Button>
                )}
                {can('recycle_bin.delete') && (
                  <Popconfirm
                    title={t('bin.confirmPurge')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => act(r.id, true)}
                  >
                    <Button type="link" size="small" danger>
                      {t('bin.purge')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </>
  )
}
