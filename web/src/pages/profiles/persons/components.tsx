import { useQuery } from '@tanstack/react-query'
import { Space, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useCan } from '../../../session.js'
import { TagList } from '../tags/components.js'
import { personsApi } from './api.js'
import './i18n.js'

/** "查看画像": a link to the person's profile, for callers who may see profiles. */
export function ProfileLink({ personId }: { personId: string | null | undefined }) {
  const { t } = useTranslation()
  const can = useCan()
  if (!personId || !can('profiles.view')) return null
  return (
    <Link to={`/persons/${personId}`} data-testid="profile-link">
      {t('persons.openProfile')}
    </Link>
  )
}

/** A lead's or customer's person: its tags (explained) and the link to the profile. */
export function PersonTagsLine({ personId }: { personId: string | null | undefined }) {
  const { t } = useTranslation()
  const can = useCan()
  const visible = !!personId && can('profiles.view')
  const tags = useQuery({
    queryKey: ['person-tags', personId],
    queryFn: () => personsApi.tags(personId ?? ''),
    enabled: visible,
  })
  if (!visible) return null
  const items = tags.data?.items ?? []
  return (
    <Space size={[8, 4]} wrap style={{ marginTop: 8 }} data-testid="person-tags-line">
      <Typography.Text type="secondary">{t('persons.field.tags')}：</Typography.Text>
      {items.length ? (
        <TagList tags={items} personId={personId} />
      ) : (
        <Typography.Text type="secondary">{tags.isLoading ? '…' : t('persons.tags.none')}</Typography.Text>
      )}
      <ProfileLink personId={personId} />
    </Space>
  )
}
