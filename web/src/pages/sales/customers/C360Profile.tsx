import { ApartmentOutlined, EditOutlined } from '@ant-design/icons'
import { useQueryClient } from '@tanstack/react-query'
import { Breadcrumb, Button, Card, Descriptions, Empty, Form, List, Space } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { FieldValue } from '../../../components/FieldInput.js'
import { useFieldDefs, useUsers } from '../../../data.js'
import { useCan } from '../../../session.js'
import { useNameOf } from '../../pools/api.js'
import type { Format } from '../format.js'
import type { CustomerView } from './api.js'
import { GroupTag, levelLabel, RegionName } from './bits.js'
import { ConflictAlert, CustomerFields, customerValues, useCustomerSave } from './CustomerForm.js'
import './customers.css'
import './i18n.js'

/** The customer's fields, edited in place; a stale save offers to load the current record. */
export function ProfileCard({ customer, fmt }: { customer: CustomerView; fmt: Format }) {
  const { t } = useTranslation()
  const can = useCan()
  const qc = useQueryClient()
  const nameOf = useNameOf()
  const defs = useFieldDefs('customer').data?.items ?? []
  const users = useUsers(can('users.view')).data?.items ?? []
  const [editing, setEditing] = useState(false)
  const [form] = Form.useForm()
  const s = useCustomerSave(form, customer, () => {
    setEditing(false)
    void qc.invalidateQueries({ queryKey: ['customer360', customer.id] })
    void qc.invalidateQueries({ queryKey: ['customers'] })
  })
  const c = customer
  const D = Descriptions.Item
  return (
    <Card
      size="small"
      title={t('customers.tabs.profile')}
      data-testid="c360-profile"
      extra={
        can('customers.edit') &&
        (editing ? (
          <Space>
            <Button
              size="small"
              onClick={() => {
                s.reset()
                setEditing(false)
              }}
            >
              {t('common.cancel')}
            </Button>
            <Button
              size="small"
              type="primary"
              loading={s.busy}
              onClick={() => s.save()}
              data-testid="profile-save"
            >
              {t('common.save')}
            </Button>
          </Space>
        ) : (
          <Button
            size="small"
            icon={<EditOutlined />}
            onClick={() => {
              form.setFieldsValue(customerValues(customer, defs))
              setEditing(true)
            }}
            data-testid="profile-edit"
          >
            {t('common.edit')}
          </Button>
        ))
      }
    >
      {editing ? (
        <>
          {s.conflict && <ConflictAlert onLoad={() => s.loadCurrent((x) => customerValues(x, defs))} />}
          <Form form={form} layout="vertical">
            <div className="haina-profile-grid">
              <CustomerFields defs={defs} self={c.id} />
            </div>
          </Form>
        </>
      ) : (
        <Descriptions size="small" column={{ xs: 1, sm: 2, xl: 3 }}>
          <D label={t('customers.field.kind')}>{t(`customers.kind.${c.kind}`)}</D>
          <D label={t('customers.field.creditCode')}>{c.creditCode ?? '—'}</D>
          <D label={t('customers.field.industry')}>{c.industry ?? '—'}</D>
          <D label={t('customers.field.size')}>
            {c.size ? t(`customers.size.${c.size}`, { defaultValue: c.size }) : '—'}
          </D>
          <D label={t('customers.field.level')}>{levelLabel(t, c.level)}</D>
          <D label={t('customers.field.group')}>
            <GroupTag group={c.customerGroup} />
            {c.groupComputedAt && <span className="haina-muted">{fmt.date(c.groupComputedAt)}</span>}
          </D>
          <D label={t('customers.field.region')}>
            <RegionName code={c.regionCode} />
          </D>
          <D label={t('customers.field.address')}>{c.address ?? '—'}</D>
          <D label={t('customers.field.phone')}>{c.phone ?? '—'}</D>
          <D label={t('customers.field.email')}>{c.email ?? '—'}</D>
          <D label={t('customers.field.website')}>{c.website ?? '—'}</D>
          <D label={t('customers.field.source')}>{c.source ?? '—'}</D>
          <D label={t('customers.field.owner')}>
            {nameOf(c.ownerId, c.ownerName) ?? (c.poolId ? t('customers.inPool') : '—')}
          </D>
          <D label={t('customers.field.firstOrderAt')}>{fmt.date(c.firstOrderAt)}</D>
          <D label={t('customers.field.lastOrderAt')}>{fmt.date(c.lastOrderAt)}</D>
          <D label={t('customers.field.lastFollowUpAt')}>{fmt.dateTime(c.lastFollowUpAt)}</D>
          <D label={t('customers.field.nextFollowUpAt')}>{fmt.dateTime(c.nextFollowUpAt)}</D>
          <D label={t('common.createdAt')}>{fmt.dateTime(c.createdAt)}</D>
          {c.leadId && (
            <D label={t('customers.field.lead')}>
              <Link to={`/leads/${c.leadId}`}>{t('customers.field.openLead')}</Link>
            </D>
          )}
          {defs.map((d) => (
            <D key={d.id} label={d.label}>
              <FieldValue def={d} value={c.custom?.[d.key]} users={users} />
            </D>
          ))}
        </Descriptions>
      )}
    </Card>
  )
}

/** Group structure: the chain of parents above, the subsidiaries below. */
type Family = {
  parents: { id: string; name: string }[]
  children: { id: string; name: string; customerGroup?: string }[]
}

export function HierarchyCard({ hierarchy, name }: { hierarchy: Family | null | undefined; name: string }) {
  const { t } = useTranslation()
  const parents = hierarchy?.parents ?? []
  const children = hierarchy?.children ?? []
  return (
    <Card
      size="small"
      title={
        <>
          <ApartmentOutlined /> {t('customers.tabs.hierarchy')}
        </>
      }
      data-testid="c360-hierarchy"
    >
      {parents.length || children.length ? (
        <>
          <Breadcrumb
            items={[
              ...parents.map((p) => ({ key: p.id, title: <Link to={`/customers/${p.id}`}>{p.name}</Link> })),
              { key: 'self', title: <strong>{name}</strong> },
            ]}
          />
          {children.length > 0 && (
            <List
              size="small"
              style={{ marginTop: 8 }}
              header={t('customers.hierarchy.children', { n: children.length })}
              dataSource={children}
              renderItem={(ch) => (
                <List.Item>
                  <Space>
                    <Link to={`/customers/${ch.id}`}>{ch.name}</Link>
                    <GroupTag group={ch.customerGroup} />
                  </Space>
                </List.Item>
              )}
            />
          )}
        </>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('customers.hierarchy.none')} />
      )}
    </Card>
  )
}
