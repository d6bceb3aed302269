import { StarFilled } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { App, Button, Input, Popconfirm, Space, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCan } from '../../../session.js'
import { type Contact, contactsApi, DEAL_ROLES, type DealRole } from './api.js'
import { AddButton, CustomerLink, CustomerSelect, DealRoleTag, EnumSelect } from './bits.js'
import { ContactDrawer, type ContactTarget } from './ContactDrawer.js'
import './i18n.js'
import { PagedTable, usePaged } from './PagedTable.js'

/** The primary value and the others (the server keeps the primary one first in the list too). */
const listOf = (first: string | null, all: string[]) =>
  [...new Set([first, ...all].filter(Boolean))].join('、') || '—'

/** Contacts (联系人) of every customer in the caller's scope: customer, role in the deal, phones. */
export function ContactsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message } = App.useApp()
  const qc = useQueryClient()
  const [q, setQ] = useState('')
  const [dealRole, setDealRole] = useState<DealRole>()
  const [customerId, setCustomerId] = useState<string | null>(null)
  const [editing, setEditing] = useState<ContactTarget | null>(null)
  const list = usePaged(['contacts', 'list', q, dealRole, customerId], (cursor) =>
    contactsApi.list({ q, dealRole, customerId: customerId ?? undefined, cursor }),
  )
  const remove = async (id: string) => {
    try {
      await contactsApi.remove(id)
      await qc.invalidateQueries({ queryKey: ['contacts'] })
    } catch (e) {
      message.error((e as Error).message)
    }
  }
  const columns: ColumnsType<Contact> = [
    {
      key: 'name',
      title: t('customers.contact.name'),
      fixed: 'left',
      render: (_, c) => (
        <Space size={4}>
          {c.name}
          {c.isPrimary && (
            <StarFilled style={{ color: '#faad14' }} title={t('customers.contact.isPrimary')} />
          )}
        </Space>
      ),
    },
    {
      key: 'customer',
      title: t('customers.contact.customer'),
      render: (_, c) => <CustomerLink id={c.customerId} name={c.customerName} />,
    },
    { key: 'title', title: t('customers.contact.title'), render: (_, c) => c.title ?? '—' },
    {
      key: 'dealRole',
      title: t('customers.contact.dealRole'),
      render: (_, c) => <DealRoleTag role={c.dealRole} />,
    },
    {
      key: 'phones',
      title: t('customers.contact.phones'),
      render: (_, c) => listOf(c.mobile, c.phones),
    },
    {
      key: 'email',
      title: t('common.email'),
      render: (_, c) => listOf(c.email, c.emails),
    },
    {
      key: 'wechat',
      title: t('customers.contact.wechatIds'),
      render: (_, c) => (c.wechatIds ?? []).join('、') || '—',
    },
    {
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      render: (_, c) =>
        can('customers.edit') && (
          <Space size={0}>
            <Button type="link" size="small" onClick={() => setEditing(c)}>
              {t('common.edit')}
            </Button>
            <Popconfirm title={t('common.confirmDelete')} onConfirm={() => remove(c.id)}>
              <Button type="link" size="small" danger>
                {t('common.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ]
  return (
    <>
      <Typography.Title level={4}>{t('salesMenu.contacts')}</Typography.Title>
      <div className="haina-toolbar">
        <Input.Search
          allowClear
          placeholder={t('customers.contact.searchPh')}
          style={{ width: 220 }}
          onSearch={setQ}
        />
        <EnumSelect
          values={DEAL_ROLES}
          labels="customers.dealRole"
          placeholder={t('customers.contact.dealRole')}
          width={140}
          value={dealRole}
          onChange={setDealRole}
        />
        <CustomerSelect value={customerId} onChange={(id) => setCustomerId(id)} style={{ width: 220 }} />
        <span style={{ flex: 1 }} />
        <AddButton
          allowed={can('customers.edit')}
          onClick={() => setEditing({ new: true, customerId: customerId ?? undefined })}
          testId="contact-new"
        >
          {t('customers.contact.new')}
        </AddButton>
      </div>
      <PagedTable query={list} columns={columns} testId="contacts-table" />
      <ContactDrawer
        target={editing}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null)
          void qc.invalidateQueries({ queryKey: ['contacts'] })
        }}
      />
    </>
  )
}
