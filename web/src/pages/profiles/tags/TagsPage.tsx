import {
  CloudUploadOutlined,
  DeleteOutlined,
  EditOutlined,
  PlusOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons'
import {
  Tag as AntTag,
  App,
  Button,
  type ButtonProps,
  Card,
  Empty,
  Input,
  Popconfirm,
  Space,
  Spin,
  Table,
  Tooltip,
  Typography,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-router'
import { useCan } from '../../../session.js'
import { why } from '../../pools/outcome.js'
import { useFormat } from '../../sales/format.js'
import '../menu.i18n.js'
import {
  isProblem,
  problemNumber,
  type Tag,
  type TagGroup,
  tagsApi,
  useRefreshTags,
  useTagGroups,
} from './api.js'
import { cssColor } from './colors.js'
import { GroupModal, TagModal } from './forms.js'
import './i18n.js'
import { RuleDrawer } from './RuleDrawer.js'

const nextOrder = (rows: { sortOrder: number }[]) =>
  rows.length ? Math.max(...rows.map((r) => r.sortOrder)) + 1 : 0

/**
 * 标签管理: the tag groups (single or multiple choice) with their coloured tags, person counts and
 * automatic rules. profiles.configure edits; everyone with profiles.view reads.
 */
export function TagsPage() {
  const { t } = useTranslation()
  const can = useCan()
  const { message, modal } = App.useApp()
  const groups = useTagGroups()
  const refresh = useRefreshTags()
  const canEdit = can('profiles.configure')
  const [q, setQ] = useState('')
  const [editingGroup, setEditingGroup] = useState<TagGroup | 'new' | null>(null)
  const [editingTag, setEditingTag] = useState<{ tag: Tag | null; groupId: string } | null>(null)
  const [ruleOf, setRuleOf] = useState<string | null>(null)
  const all = groups.data ?? []
  const needle = q.trim().toLowerCase()
  const shown = needle
    ? all
        .map((g) => ({
          ...g,
          tags: g.tags.filter((x) => `${x.name} ${x.description ?? ''}`.toLowerCase().includes(needle)),
        }))
        .filter((g) => g.tags.length || g.name.toLowerCase().includes(needle))
    : all
  const ruleTag = all
    .flatMap((g) => g.tags.map((x) => ({ tag: x, group: g })))
    .find((r) => r.tag.id === ruleOf)

  /** Deletes; a group or tag in use asks again with the server's numbers, then deletes with confirm. */
  const remove = async (kind: 'group' | 'tag', id: string, name: string) => {
    const del = (confirm: boolean) =>
      kind === 'group' ? tagsApi.deleteGroup(id, confirm) : tagsApi.deleteTag(id, confirm)
    const done = async () => {
      message.success(t('profileTags.del.done'))
      await refresh()
    }
    try {
      await del(false)
      await done()
    } catch (e) {
      if (!isProblem(e, kind === 'group' ? 'tag_group_in_use' : 'tag_in_use')) {
        message.error(why(e))
        return
      }
      const n = {
        name,
        tags: problemNumber(e, 'tags'),
        persons: problemNumber(e, 'persons'),
        segments: problemNumber(e, 'segments'),
        rules: problemNumber(e, 'rules'),
      }
      modal.confirm({
        title: t(kind === 'group' ? 'profileTags.del.groupInUseTitle' : 'profileTags.del.tagInUseTitle'),
        content: (
          <span data-testid="tag-delete-in-use">
            <p>{t(kind === 'group' ? 'profileTags.del.groupInUse' : 'profileTags.del.tagInUse', n)}</p>
            {n.segments + n.rules > 0 && <p>{t('profileTags.del.refs', n)}</p>}
          </span>
        ),
        okText: t('profileTags.del.confirm'),
        okButtonProps: { danger: true, 'data-testid': 'tag-delete-confirm' } as ButtonProps,
        onOk: async () => {
          try {
            await del(true)
            await done()
          } catch (err) {
            message.error(why(err))
          }
        },
      })
    }
  }

  return (
    <div data-testid="tags-page">
      <Typography.Title level={4}>{t('profilesMenu.tags')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('profileTags.help')}</Typography.Paragraph>
      <div className="haina-toolbar">
        <Input.Search
          allowClear
          placeholder={t('profileTags.search')}
          style={{ width: 240 }}
          onSearch={setQ}
          onChange={(e) => !e.target.value && setQ('')}
          data-testid="tags-search"
        />
        <span style={{ flex: 1 }} />
        {can('profiles.import') && (
          <Link to="/tags/import">
            <Button icon={<CloudUploadOutlined />}>{t('profileTags.importLink')}</Button>
          </Link>
        )}
        {canEdit && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditingGroup('new')}
            data-testid="tag-group-new"
          >
            {t('profileTags.newGroup')}
          </Button>
        )}
      </div>
      {groups.isLoading ? (
        <Spin style={{ display: 'block', margin: 48 }} />
      ) : groups.error ? (
        <Empty description={why(groups.error)} />
      ) : !shown.length ? (
        <Empty description={needle ? t('profileTags.noMatch') : t('profileTags.emptyGroups')} />
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          {shown.map((g) => (
            <GroupCard
              key={g.id}
              group={g}
              canEdit={canEdit}
              onEdit={() => setEditingGroup(all.find((x) => x.id === g.id) ?? g)}
              onDelete={() => remove('group', g.id, g.name)}
              onNewTag={() => setEditingTag({ tag: null, groupId: g.id })}
              onEditTag={(tag) => setEditingTag({ tag, groupId: g.id })}
              onDeleteTag={(tag) => remove('tag', tag.id, tag.name)}
              onRule={(tag) => setRuleOf(tag.id)}
            />
          ))}
        </Space>
      )}
      <GroupModal
        open={editingGroup !== null}
        group={editingGroup === 'new' ? null : editingGroup}
        nextOrder={nextOrder(all)}
        onClose={() => setEditingGroup(null)}
        onSaved={refresh}
      />
      <TagModal
        open={editingTag !== null}
        tag={editingTag?.tag ?? null}
        groupId={editingTag?.groupId ?? null}
        groups={all}
        nextOrder={nextOrder(all.find((g) => g.id === editingTag?.groupId)?.tags ?? [])}
        onClose={() => setEditingTag(null)}
        onSaved={refresh}
      />
      <RuleDrawer
        tag={ruleTag?.tag ?? null}
        groupColor={ruleTag?.group.color ?? null}
        readOnly={!canEdit}
        onClose={() => setRuleOf(null)}
      />
    </div>
  )
}

function GroupCard(props: {
  group: TagGroup
  canEdit: boolean
  onEdit: () => void
  onDelete: () => void
  onNewTag: () => void
  onEditTag: (tag: Tag) => void
  onDeleteTag: (tag: Tag) => void
  onRule: (tag: Tag) => void
}) {
  const { t } = useTranslation()
  const fmt = useFormat()
  const g = props.group
  return (
    <Card
      size="small"
      data-testid="tag-group"
      data-group-name={g.name}
      style={{ borderInlineStart: `4px solid ${cssColor(g.color) ?? '#d9d9d9'}` }}
      title={
        <Space size={8} wrap>
          <span>{g.name}</span>
          <AntTag color={g.exclusive ? 'orange' : 'default'} data-testid="tag-group-mode-badge">
            {g.exclusive ? t('profileTags.group.single') : t('profileTags.group.multiple')}
          </AntTag>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {t('profileTags.group.tagCount', { n: g.tags.length })}
          </Typography.Text>
        </Space>
      }
      extra={
        props.canEdit && (
          <Space size={4}>
            <Button size="small" icon={<PlusOutlined />} onClick={props.onNewTag} data-testid="tag-new">
              {t('profileTags.newTag')}
            </Button>
            <Tooltip title={t('profileTags.editGroup')}>
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                onClick={props.onEdit}
                data-testid="tag-group-edit"
              />
            </Tooltip>
            <Popconfirm
              title={t('profileTags.del.group', { name: g.name })}
              onConfirm={props.onDelete}
              okButtonProps={{ danger: true }}
            >
              <Button
                size="small"
                type="text"
                danger
                icon={<DeleteOutlined />}
                data-testid="tag-group-delete"
              />
            </Popconfirm>
          </Space>
        )
      }
    >
      {g.description && (
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          {g.description}
        </Typography.Paragraph>
      )}
      <Table<Tag>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={g.tags}
        locale={{ emptyText: t('profileTags.emptyTags') }}
        scroll={{ x: 'max-content' }}
        onRow={(r) => ({ 'data-testid': 'tag-row', 'data-tag-name': r.name }) as object}
        columns={[
          {
            key: 'name',
            title: t('profileTags.tag.name'),
            width: 240,
            render: (_, x) => (
              <Space size={4} wrap>
                <AntTag color={x.color ?? g.color ?? undefined} style={{ marginInlineEnd: 0 }}>
                  {x.name}
                </AntTag>
                {x.ruleEnabled ? (
                  <Tooltip title={t('profileTags.tag.autoHelp')}>
                    <AntTag
                      icon={<ThunderboltOutlined />}
                      color="processing"
                      variant="filled"
                      data-testid="tag-auto-badge"
                    >
                      {t('profileTags.tag.auto')}
                    </AntTag>
                  </Tooltip>
                ) : (
                  x.rule && <AntTag variant="filled">{t('profileTags.tag.ruleOff')}</AntTag>
                )}
              </Space>
            ),
          },
          {
            key: 'description',
            title: t('profileTags.tag.description'),
            render: (_, x) =>
              x.description ? (
                <Typography.Text
                  type="secondary"
                  ellipsis={{ tooltip: x.description }}
                  style={{ maxWidth: 360 }}
                >
                  {x.description}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            key: 'persons',
            title: t('profileTags.tag.persons'),
            align: 'right',
            width: 100,
            render: (_, x) => (
              <Link data-testid="tag-person-count" to={`/persons?tagId=${x.id}`}>
                {t('profileTags.tag.personCount', { n: x.personCount })}
              </Link>
            ),
          },
          {
            key: 'rule',
            title: t('profileTags.tag.ruleStatus'),
            width: 260,
            render: (_, x) =>
              !x.ruleEnabled ? (
                <Typography.Text type="secondary">{t('profileTags.tag.manual')}</Typography.Text>
              ) : x.ruleRunAt ? (
                t('profileTags.tag.lastRun', { at: fmt.dateTime(x.ruleRunAt), n: x.ruleMatchCount ?? 0 })
              ) : (
                <Typography.Text type="secondary">{t('profileTags.tag.neverRun')}</Typography.Text>
              ),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 180,
            render: (_, x) => (
              <Space size={0}>
                {props.canEdit && (
                  <Button type="link" size="small" onClick={() => props.onEditTag(x)} data-testid="tag-edit">
                    {t('common.edit')}
                  </Button>
                )}
                {(props.canEdit || x.rule) && (
                  <Button type="link" size="small" onClick={() => props.onRule(x)} data-testid="tag-rule">
                    {props.canEdit ? t('profileTags.tag.editRule') : t('profileTags.tag.viewRule')}
                  </Button>
                )}
                {props.canEdit && (
                  <Popconfirm
                    title={t('profileTags.del.tag', { name: x.name })}
                    onConfirm={() => props.onDeleteTag(x)}
                    okButtonProps={{ danger: true }}
                  >
                    <Button type="link" size="small" danger data-testid="tag-delete">
                      {t('common.delete')}
                    </Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  )
}
