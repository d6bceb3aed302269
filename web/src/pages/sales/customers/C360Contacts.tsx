import { MailOutlined, PhoneOutlined, PlusOutlined, StarFilled, UserAddOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Button, Card, Empty, Space, Tooltip, Tree, Typography } from 'antd'
import type { DataNode } from 'antd/es/tree'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { ContactNode } from './api.js'
import { DealRoleTag } from './bits.js'
import { ContactDrawer, type ContactTarget } from './ContactDrawer.js'
import './i18n.js'

/** The customer's contacts as their reporting lines (seed 003's school: principal → deans → teachers). */
export function ContactsTree(props: { customerId: string; tree: ContactNode[]; canEdit: boolean }) {
  const { t } = useTranslation()
  const qc = useQueryClient()
  const [editing, setEditing] = useState<ContactTarget | null>(null)
  const toNode = (c: ContactNode): DataNode => ({
    key: c.id,
    title: (
      <span className="haina-contact-node" data-testid="contact-node">
        <Typography.Text strong>{c.name}</Typography.Text>
        {c.isPrimary && <StarFilled style={{ color: '#faad14' }} title={t('customers.contact.isPrimary')} />}
        {c.title && <Typography.Text type="secondary">{c.title}</Typography.Text>}
        <DealRoleTag role={c.dealRole} />
        {c.mobile && (
          <Typography.Text type="secondary">
            <PhoneOutlined /> {c.mobile}
          </Typography.Text>
        )}
        {c.email && (
          <Typography.Text type="secondary">
            <MailOutlined /> {c.email}
          </Typography.Text>
        )}
        {props.canEdit && (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => setEditing(c)}>
              {t('common.edit')}
            </Button>
            <Tooltip title={t('customers.contact.addUnder', { name: c.name })}>
              <Button
                type="link"
                size="small"
                icon={<UserAddOutlined />}
                aria-label={t('customers.contact.addUnder', { name: c.name })}
                onClick={() => setEditing({ new: true, customerId: props.customerId, reportsToId: c.id })}
              />
            </Tooltip>
          </Space>
        )}
      </span>
    ),
    children: c.children?.map(toNode),
  })
  return (
    <Card
      size="small"
      title={t('customers.tabs.contacts')}
      extra={
        props.canEdit && (
          <Button
            size="small"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing({ new: true, customerId: props.customerId })}
            data-testid="c360-contact-new"
          >
            {t('customers.contact.new')}
          </Button>
        )
      }
    >
      {props.tree.length ? (
        <Tree
          blockNode
          showLine={{ showLeafIcon: false }}
          defaultExpandAll
          selectable={false}
          treeData={props.tree.map(toNode)}
          data-testid="contacts-tree"
        />
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.contact.none')} />
      )}
      <ContactDrawer
        target={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null)
          void qc.invalidateQueries({ queryKey: ['customer360', props.customerId] })
          void qc.invalidateQueries({ queryKey: ['contacts'] })
        }}
      />
    </Card>
  )
}
