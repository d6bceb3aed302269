import { useQuery } from '@tanstack/react-query'
import { Card, Col, Descriptions, List, Row, Tag, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { api, call } from '../api/client.js'
import { NAV } from '../layout/nav.js'
import { useMe } from '../session.js'

export function HomePage() {
  const { t } = useTranslation()
  const me = useMe().data
  const perms = me?.permissions ?? []
  const userId = me?.user?.id
  const self = useQuery({
    queryKey: ['users', userId],
    queryFn: () => call(api.GET('/api/v1/users/{id}', { params: { path: { id: userId as string } } })),
    enabled: !!userId && perms.includes('users.view'),
  })
  const roles = useQuery({
    queryKey: ['roles'],
    queryFn: () => call(api.GET('/api/v1/roles')),
    enabled: perms.includes('roles.view'),
  })
  const myRoles = (roles.data?.items ?? []).filter((r) => self.data?.roleIds.includes(r.id))
  const links = NAV.flatMap((n) => ('children' in n ? n.children : [n])).filter((n) =>
    perms.includes(n.permission),
  )
  return (
    <>
      <Typography.Title level={3}>{t('home.welcome', { name: me?.user?.name })}</Typography.Title>
      <Row gutter={[16, 16]}>
        <Col xs={24} md={12}>
          <Card title={t('home.workspace')}>
            <Descriptions column={1} size="small">
              <Descriptions.Item label={t('common.name')}>{me?.tenant.name}</Descriptions.Item>
              <Descriptions.Item label={t('workspace.slug')}>{me?.tenant.slug}</Descriptions.Item>
              <Descriptions.Item label={t('home.timezone')}>{me?.tenant.timezone}</Descriptions.Item>
              <Descriptions.Item label={t('home.roles')}>
                {myRoles.length ? myRoles.map((r) => <Tag key={r.id}>{r.name}</Tag>) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('home.dataScope')}>
                {me?.dataScope ? t(`scope.${me.dataScope}`) : '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('home.permissions')}>{perms.length}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card title={t('home.quickLinks')}>
            <List
              size="small"
              dataSource={links}
              renderItem={(n) => (
                <List.Item>
                  <Link to={n.path}>{t(n.label)}</Link>
                </List.Item>
              )}
            />
          </Card>
        </Col>
      </Row>
    </>
  )
}
