import { ColorPicker, Form, Input, InputNumber, Radio, Select } from 'antd'
import { useTranslation } from 'react-i18next'
import { RecordModal } from '../../sales/settings/RecordModal.js'
import { type GroupInput, type Tag, type TagGroup, type TagInput, tagsApi } from './api.js'
import { cssColor } from './colors.js'
import './i18n.js'

/** antd's preset palette as hex (what the API stores; antd Tag takes either). */
export const TAG_COLORS = [
  '#f5222d',
  '#fa541c',
  '#fa8c16',
  '#faad14',
  '#a0d911',
  '#52c41a',
  '#13c2c2',
  '#1677ff',
  '#2f54eb',
  '#722ed1',
  '#eb2f96',
  '#8c8c8c',
]

/** A colour as a hex string (null: none), for antd Form. */
function ColorField(props: { value?: string | null; onChange?: (v: string | null) => void; testId: string }) {
  const { t } = useTranslation()
  return (
    <ColorPicker
      value={cssColor(props.value) ?? null}
      allowClear
      disabledAlpha
      showText={(c) => (props.value ? c.toHexString() : t('common.none'))}
      presets={[{ label: '', colors: TAG_COLORS, defaultOpen: true }]}
      onChangeComplete={(c) => props.onChange?.(c.toHexString())}
      onClear={() => props.onChange?.(null)}
      data-testid={props.testId}
    />
  )
}

interface GroupValues {
  name: string
  description?: string | null
  color?: string | null
  exclusive: boolean
  sortOrder?: number | null
}

/** Create or edit a tag group (name, colour, description, single / multiple choice, order). */
export function GroupModal(props: {
  open: boolean
  group: TagGroup | null
  nextOrder: number
  onClose: () => void
  onSaved: () => unknown
}) {
  const { t } = useTranslation()
  const g = props.group
  const submit = async (v: GroupValues) => {
    const body: GroupInput = {
      name: v.name.trim(),
      description: v.description?.trim() || null,
      color: v.color ?? null,
      exclusive: v.exclusive,
      sortOrder: v.sortOrder ?? 0,
    }
    if (g) await tagsApi.patchGroup(g.id, { ...body, version: g.version })
    else await tagsApi.createGroup(body)
    await props.onSaved()
  }
  return (
    <RecordModal<GroupValues>
      open={props.open}
      title={g ? t('profileTags.editGroup') : t('profileTags.newGroup')}
      initial={g ? { ...g } : { exclusive: false, sortOrder: props.nextOrder, color: TAG_COLORS[7] ?? null }}
      onClose={props.onClose}
      onSubmit={submit}
      testId="tag-group"
    >
      <Form.Item
        name="name"
        label={t('profileTags.group.name')}
        rules={[{ required: true, whitespace: true }]}
      >
        <Input maxLength={60} data-testid="tag-group-name" />
      </Form.Item>
      <Form.Item
        name="exclusive"
        label={t('profileTags.group.mode')}
        extra={t('profileTags.group.singleHelp')}
      >
        <Radio.Group
          data-testid="tag-group-mode"
          options={[
            { value: false, label: t('profileTags.group.multiple') },
            { value: true, label: t('profileTags.group.single') },
          ]}
        />
      </Form.Item>
      <Form.Item name="color" label={t('profileTags.group.color')}>
        <ColorField testId="tag-group-color" />
      </Form.Item>
      <Form.Item name="description" label={t('profileTags.group.description')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} />
      </Form.Item>
      <Form.Item
        name="sortOrder"
        label={t('profileTags.group.sortOrder')}
        extra={t('profileTags.group.sortHelp')}
      >
        <InputNumber precision={0} min={-100000} max={100000} />
      </Form.Item>
    </RecordModal>
  )
}

interface TagValues {
  groupId: string
  name: string
  color?: string | null
  description?: string | null
  sortOrder?: number | null
}

/** Create a tag in a group, or edit one (its group stays). */
export function TagModal(props: {
  open: boolean
  tag: Tag | null
  groupId: string | null
  groups: TagGroup[]
  nextOrder: number
  onClose: () => void
  onSaved: () => unknown
}) {
  const { t } = useTranslation()
  const x = props.tag
  const submit = async (v: TagValues) => {
    const body: TagInput = {
      name: v.name.trim(),
      color: v.color ?? null,
      description: v.description?.trim() || null,
      sortOrder: v.sortOrder ?? 0,
    }
    if (x) await tagsApi.patchTag(x.id, { ...body, version: x.version })
    else await tagsApi.createTag({ ...body, groupId: v.groupId })
    await props.onSaved()
  }
  return (
    <RecordModal<TagValues>
      open={props.open}
      title={x ? t('profileTags.editTag') : t('profileTags.newTag')}
      initial={
        x
          ? { ...x, groupId: props.groupId ?? undefined }
          : { groupId: props.groupId ?? undefined, sortOrder: props.nextOrder, color: null }
      }
      onClose={props.onClose}
      onSubmit={submit}
      testId="tag"
    >
      <Form.Item name="groupId" label={t('profileTags.tag.group')} rules={[{ required: true }]}>
        <Select
          disabled={Boolean(x)}
          options={props.groups.map((g) => ({ value: g.id, label: g.name }))}
          data-testid="tag-group-select"
        />
      </Form.Item>
      <Form.Item name="name" label={t('profileTags.tag.name')} rules={[{ required: true, whitespace: true }]}>
        <Input maxLength={60} data-testid="tag-name" />
      </Form.Item>
      <Form.Item name="color" label={t('profileTags.tag.color')} extra={t('profileTags.tag.colorHelp')}>
        <ColorField testId="tag-color" />
      </Form.Item>
      <Form.Item name="description" label={t('profileTags.tag.description')}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={500} data-testid="tag-description" />
      </Form.Item>
      <Form.Item
        name="sortOrder"
        label={t('profileTags.tag.sortOrder')}
        extra={t('profileTags.group.sortHelp')}
      >
        <InputNumber precision={0} min={-100000} max={100000} />
      </Form.Item>
    </RecordModal>
  )
}
