import { PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Button, Form, Input, Table, Typography } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCan } from '../../../session.js'
import { type Competitor, useCompetitors } from '../opportunities/api.js'
import { settingsApi } from './api.js'
import { RecordModal } from './RecordModal.js'
import { RowActions } from './RowActions.js'

interface Values {
  name: string
  website?: string | null
  strengths?: string | null
  weaknesses?: string | null
}

/** 竞争对手: the workspace's list of competitors, with their strengths and weaknesses. */
export function Competitors() {
  const { t } = useTranslation()
  const can = useCan()
  const qc = useQueryClient()
  const list = useCompetitors()
  const [editing, setEditing] = useState<Competitor | 'new' | null>(null)
  const current = editing === 'new' ? null : editing
  const refresh = () => qc.invalidateQueries({ queryKey: ['competitors'] })
  const submit = async (v: Values) => {
    const body = {
      name: v.name.trim(),
      website: v.website?.trim() || null,
      strengths: v.strengths?.trim() || null,
      weaknesses: v.weaknesses?.trim() || null,
    }
    if (current) await settingsApi.patchCompetitor(current.id, { ...body, version: current.version })
    else await settingsApi.createCompetitor(body)
    await refresh()
  }
  const text = (v: string | null) => (
    <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ margin: 0, maxWidth: 360 }}>
      {v ?? '—'}
    </Typography.Paragraph>
  )
  return (
    <>
      {can('products.create') && (
        <div className="haina-toolbar">
          <span style={{ flex: 1 }} />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="competitor-new"
          >
            {t('salesSettings.competitors.new')}
          </Button>
        </div>
      )}
      <Table
        rowKey="id"
        size="middle"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('salesSettings.competitors.empty') }}
        data-testid="competitors-table"
        columns={[
          { key: 'name', title: t('salesSettings.competitors.name'), dataIndex: 'name' },
          {
            key: 'website',
            title: t('salesSettings.competitors.website'),
            render: (_, c) =>
              c.website ? (
                <a href={c.website} target="_blank" rel="noreferrer">
                  {c.website}
                </a>
              ) : (
                '—'
              ),
          },
          {
            key: 'strengths',
            title: t('salesSettings.competitors.strengths'),
            render: (_, c) => text(c.strengths),
          },
          {
            key: 'weaknesses',
            title: t('salesSettings.competitors.weaknesses'),
            render: (_, c) => text(c.weaknesses),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_, c) => (
              <RowActions
                onEdit={() => setEditing(c)}
                onDelete={() => settingsApi.deleteCompetitor(c.id).then(refresh)}
              />
            ),
          },
        ]}
      />
      <RecordModal<Values>
        open={editing !== null}
        title={current ? t('salesSettings.competitors.edit') : t('salesSettings.competitors.new')}
        initial={current ?? {}}
        onClose={() => setEditing(null)}
        onSubmit={submit}
        testId="competitor"
      >
        <Form.Item
          name="name"
          label={t('salesSettings.competitors.name')}
          rules={[{ required: true, whitespace: true }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="website" label={t('salesSettings.competitors.website')} rules={[{ type: 'url' }]}>
          <Input maxLength={300} placeholder="https://" />
        </Form.Item>
        <Form.Item name="strengths" label={t('salesSettings.competitors.strengths')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <Form.Item name="weaknesses" label={t('salesSettings.competitors.weaknesses')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
      </RecordModal>
    </>
  )
}
