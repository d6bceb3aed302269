import { DeleteOutlined, SaveOutlined } from '@ant-design/icons'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { App, Button, Checkbox, Form, Input, Modal, Popconfirm, Select, Space, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors } from '../../api/client.js'
import { useMe } from '../../session.js'
import type { SavedView } from './api.js'

/** What a pool view remembers: the filters, the visible columns and list or board. */
export interface ViewState {
  query: Record<string, unknown>
  columns: string[]
  layout: 'list' | 'board'
}

/** Saved views of the lead list: pick one from a dropdown, save the current one, delete own ones. */
export function SavedViews(props: { current: ViewState; onApply: (v: SavedView) => void }) {
  const { t } = useTranslation()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const me = useMe().data
  const [picked, setPicked] = useState<string>()
  const [saving, setSaving] = useState(false)
  const [form] = Form.useForm<{ name: string; shared: boolean }>()
  const views = useQuery({
    queryKey: ['saved-views', 'lead'],
    queryFn: async () =>
      (await call(api.GET('/api/v1/saved-views', { params: { query: { object: 'lead' } } }))).items,
  })
  const list = views.data ?? []

  const save = async () => {
    const v = await form.validateFields()
    try {
      const made = await call(
        api.POST('/api/v1/saved-views', {
          body: { name: v.name.trim(), object: 'lead', shared: !!v.shared, ...props.current },
        }),
      )
      message.success(t('pools.views.saved'))
      setSaving(false)
      setPicked(made?.id)
      await qc.invalidateQueries({ queryKey: ['saved-views'] })
    } catch (e) {
      const fields = formErrors(e)
      form.setFields(fields as never)
      if (!fields.length) message.error((e as Error).message)
    }
  }
  const remove = async (id: string) => {
    try {
      await call(api.DELETE('/api/v1/saved-views/{id}', { params: { path: { id } } }))
      message.success(t('pools.views.deleted'))
      if (picked === id) setPicked(undefined)
      await qc.invalidateQueries({ queryKey: ['saved-views'] })
    } catch (e) {
      message.error((e as Error).message)
    }
  }

  return (
    <>
      <Space.Compact>
        <Select
          allowClear
          style={{ width: 180 }}
          placeholder={t('pools.views.pick')}
          value={picked}
          loading={views.isLoading}
          data-testid="saved-views"
          onChange={(id) => {
            setPicked(id)
            const v = list.find((x) => x.id === id)
            if (v) props.onApply(v)
          }}
          options={list.map((v) => ({ value: v.id, label: v.name }))}
          optionRender={(o) => {
            const v = list.find((x) => x.id === o.value)
            const own = !v?.userId || v.userId === me?.user?.id
            return (
              <div style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
                <span style={{ flex: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis' }}>
                  {o.label}
                </span>
                {v?.shared && <Tag style={{ marginInlineEnd: 0 }}>{t('pools.views.sharedTag')}</Tag>}
                {own && (
                  <Popconfirm
                    title={t('pools.views.confirmDelete')}
                    onConfirm={() => remove(String(o.value))}
                  >
                    <Button
                      type="text"
                      size="small"
                      icon={<DeleteOutlined />}
                      aria-label={t('common.delete')}
                      onClick={(e) => e.stopPropagation()}
                    />
                  </Popconfirm>
                )}
              </div>
            )
          }}
        />
        <Button
          icon={<SaveOutlined />}
          onClick={() => {
            form.resetFields()
            setSaving(true)
          }}
          data-testid="view-save"
        >
          {t('pools.views.save')}
        </Button>
      </Space.Compact>
      <Modal
        open={saving}
        title={t('pools.views.save')}
        onOk={save}
        onCancel={() => setSaving(false)}
        forceRender
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('pools.views.name')} rules={[{ required: true, whitespace: true }]}>
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="shared" valuePropName="checked">
            <Checkbox>{t('pools.views.shared')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </>
  )
}
