import { PlusOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Button, Col, Form, Input, InputNumber, Row, Switch, Table, Tag } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useFieldDefs, useUsers } from '../../../data.js'
import { useCan } from '../../../session.js'
import { CustomFieldItems, customColumns } from '../customers/CustomFieldItems.js'
import { toFen, toYuan, useFormat } from '../format.js'
import { type Product, useProducts } from '../opportunities/api.js'
import { settingsApi } from './api.js'
import { RecordModal } from './RecordModal.js'
import { RowActions } from './RowActions.js'

interface Values {
  code: string
  name: string
  category?: string | null
  unit?: string | null
  listPrice?: number | null
  description?: string | null
  active: boolean
  custom?: Record<string, unknown>
}

/** 产品目录: code, name, category, unit, list price and the product custom fields. */
export function Products() {
  const { t } = useTranslation()
  const fmt = useFormat()
  const can = useCan()
  const qc = useQueryClient()
  const products = useProducts()
  const defs = useFieldDefs('product').data?.items ?? []
  const users = useUsers(can('users.view')).data?.items ?? []
  const [q, setQ] = useState('')
  const [editing, setEditing] = useState<Product | 'new' | null>(null)
  const current = editing === 'new' ? null : editing
  const rows = (products.data ?? []).filter(
    (p) => !q || `${p.code} ${p.name} ${p.category ?? ''}`.toLowerCase().includes(q.toLowerCase()),
  )
  const refresh = () => qc.invalidateQueries({ queryKey: ['products'] })
  const submit = async (v: Values) => {
    const body = {
      code: v.code.trim(),
      name: v.name.trim(),
      category: v.category?.trim() || null,
      unit: v.unit?.trim() || null,
      listPrice: toFen(v.listPrice) ?? 0,
      description: v.description?.trim() || null,
      active: v.active,
      custom: v.custom ?? {},
    }
    if (current) await settingsApi.patchProduct(current.id, { ...body, version: current.version })
    else await settingsApi.createProduct(body)
    await refresh()
  }
  return (
    <>
      <div className="haina-toolbar">
        <Input.Search
          allowClear
          placeholder={t('salesSettings.products.search')}
          style={{ width: 240 }}
          onSearch={setQ}
        />
        <span style={{ flex: 1 }} />
        {can('products.create') && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="product-new"
          >
            {t('salesSettings.products.new')}
          </Button>
        )}
      </div>
      <Table
        rowKey="id"
        size="middle"
        loading={products.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('salesSettings.products.empty') }}
        data-testid="products-table"
        columns={[
          { key: 'code', title: t('salesSettings.products.code'), dataIndex: 'code' },
          { key: 'name', title: t('salesSettings.products.name'), dataIndex: 'name' },
          {
            key: 'category',
            title: t('salesSettings.products.category'),
            render: (_, p) => p.category ?? '—',
          },
          { key: 'unit', title: t('salesSettings.products.unit'), render: (_, p) => p.unit ?? '—' },
          {
            key: 'price',
            title: t('salesSettings.products.listPrice'),
            align: 'right',
            render: (_, p) => fmt.money(p.listPrice),
          },
          {
            key: 'active',
            title: t('salesSettings.active'),
            render: (_, p) =>
              p.active ? (
                <Tag color="green">{t('salesSettings.onSale')}</Tag>
              ) : (
                <Tag>{t('salesSettings.inactive')}</Tag>
              ),
          },
          ...customColumns<Product>(defs, users),
          {
            key: 'actions',
            title: t('common.actions'),
            fixed: 'right',
            render: (_, p) => (
              <RowActions
                onEdit={() => setEditing(p)}
                onDelete={() => settingsApi.deleteProduct(p.id).then(refresh)}
              />
            ),
          },
        ]}
      />
      <RecordModal<Values>
        open={editing !== null}
        title={current ? t('salesSettings.products.edit') : t('salesSettings.products.new')}
        initial={
          current
            ? { ...current, listPrice: toYuan(current.listPrice) }
            : {
                active: true,
                custom: Object.fromEntries(
                  defs.filter((d) => d.defaultValue != null).map((d) => [d.key, d.defaultValue]),
                ),
              }
        }
        onClose={() => setEditing(null)}
        onSubmit={submit}
        testId="product"
      >
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item
              name="code"
              label={t('salesSettings.products.code')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={14}>
            <Form.Item
              name="name"
              label={t('salesSettings.products.name')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input maxLength={200} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={10}>
            <Form.Item name="category" label={t('salesSettings.products.category')}>
              <Input maxLength={60} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="unit" label={t('salesSettings.products.unit')}>
              <Input maxLength={20} />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item name="listPrice" label={t('salesSettings.products.listPrice')}>
              <InputNumber prefix="¥" min={0} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('salesSettings.products.description')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <Form.Item name="active" label={t('salesSettings.onSale')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <CustomFieldItems defs={defs} />
      </RecordModal>
    </>
  )
}
