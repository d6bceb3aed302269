import { useQueryClient } from '@tanstack/react-query'
import {
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Tree,
  TreeSelect,
} from 'antd'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api, call, formErrors } from '../../api/client.js'
import { type Unit, unitTree, useUnits } from '../../data.js'
import { useCan } from '../../session.js'

const UNIT_TYPES = ['company', 'branch', 'dealer', 'region', 'department', 'team'] as const

type Dialog = { mode: 'add' | 'rename' | 'move'; unit: Unit | null } | null

export function OrgPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const units = useUnits().data?.items ?? []
  const tree = useMemo(() => unitTree(units), [units])
  // Everything starts expanded, new units included; only what the user folds stays folded.
  const [folded, setFolded] = useState<string[]>([])
  const [selected, setSelected] = useState<string>()
  const [dialog, setDialog] = useState<Dialog>(null)
  const [form] = Form.useForm()
  const unit = units.find((u) => u.id === selected) ?? null

  const open = (mode: 'add' | 'rename' | 'move') => {
    setDialog({ mode, unit })
    form.resetFields()
    if (mode === 'rename' && unit) form.setFieldsValue({ name: unit.name, code: unit.code, type: unit.type })
    if (mode === 'add') form.setFieldsValue({ type: 'department' })
    if (mode === 'move' && unit) form.setFieldsValue({ parentId: unit.parentId })
  }
  const submit = async () => {
    // Invalid fields show their own messages; a rejected promise would only reach the console.
    const v = await form.validateFields().catch(() => null)
    if (!v) return
    try {
      if (dialog?.mode === 'add')
        await call(api.POST('/api/v1/org-units', { body: { ...v, parentId: dialog.unit?.id ?? null } }))
      else if (dialog?.unit)
        await call(
          api.PATCH('/api/v1/org-units/{id}', {
            params: { path: { id: dialog.unit.id } },
            body: { ...v, version: dialog.unit.version },
          }),
        )
      await qc.invalidateQueries({ queryKey: ['org-units'] })
      message.success(t('common.saved'))
      setDialog(null)
    } catch (e) {
      const f = formErrors(e)
      form.setFields(f as never)
      if (!f.length) message.error((e as Error).message)
    }
  }
  const remove = async () => {
    if (!unit) return
    try {
      await call(api.DELETE('/api/v1/org-units/{id}', { params: { path: { id: unit.id } } }))
      setSelected(undefined)
      await qc.invalidateQueries({ queryKey: ['org-units'] })
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} md={10}>
        <Card title={t('org.title')}>
          {tree.length > 0 && (
            <Tree
              treeData={tree}
              expandedKeys={units.map((u) => u.id).filter((id) => !folded.includes(id))}
              onExpand={(_, e) =>
                setFolded((f) =>
                  e.expanded ? f.filter((k) => k !== e.node.key) : [...f, e.node.key as string],
                )
              }
              selectedKeys={selected ? [selected] : []}
              onSelect={(k) => setSelected(k[0] as string | undefined)}
              data-testid="org-tree"
            />
          )}
        </Card>
      </Col>
      <Col xs={24} md={14}>
        <Card
          title={unit?.name ?? t('org.select')}
          extra={
            unit && (
              <Space wrap>
                {can('org.create') && (
                  <Button type="primary" onClick={() => open('add')} data-testid="org-add">
                    {t('org.addChild')}
                  </Button>
                )}
                {can('org.edit') && <Button onClick={() => open('rename')}>{t('org.rename')}</Button>}
                {can('org.edit') && unit.parentId && (
                  <Button onClick={() => open('move')}>{t('org.move')}</Button>
                )}
                {can('org.delete') && unit.parentId && (
                  <Popconfirm title={t('common.confirmDelete')} onConfirm={remove}>
                    <Button danger>{t('common.delete')}</Button>
                  </Popconfirm>
                )}
              </Space>
            )
          }
        >
          {unit ? (
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('common.name')}>{unit.name}</Descriptions.Item>
              <Descriptions.Item label={t('org.unitType')}>{t(`org.type_${unit.type}`)}</Descriptions.Item>
              <Descriptions.Item label={t('org.code')}>{unit.code ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('org.parent')}>
                {units.find((u) => u.id === unit.parentId)?.name ?? t('org.root')}
              </Descriptions.Item>
            </Descriptions>
          ) : (
            <Empty description={t('org.select')} />
          )}
        </Card>
      </Col>
      <Modal
        open={!!dialog}
        title={dialog ? t(dialog.mode === 'add' ? 'org.addChild' : `org.${dialog.mode}`) : ''}
        onOk={submit}
        onCancel={() => setDialog(null)}
        destroyOnHidden
        forceRender
      >
        <Form form={form} layout="vertical" data-testid="org-form" onFinish={submit}>
          {/* Enter in a field submits, as the dialog's button does. */}
          <button type="submit" hidden />
          {dialog?.mode === 'move' ? (
            <Form.Item name="parentId" label={t('org.newParent')} rules={[{ required: true }]}>
              <TreeSelect treeData={tree} treeDefaultExpandAll />
            </Form.Item>
          ) : (
            <>
              <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
                <Input />
              </Form.Item>
              <Form.Item name="type" label={t('org.unitType')} rules={[{ required: true }]}>
                <Select options={UNIT_TYPES.map((x) => ({ value: x, label: t(`org.type_${x}`) }))} />
              </Form.Item>
              <Form.Item name="code" label={t('org.code')}>
                <Input />
              </Form.Item>
            </>
          )}
        </Form>
      </Modal>
    </Row>
  )
}
