import { EyeOutlined, PlayCircleOutlined, ThunderboltOutlined } from '@ant-design/icons'
import {
  Alert,
  Tag as AntTag,
  App,
  Button,
  type ButtonProps,
  Descriptions,
  Drawer,
  Form,
  Radio,
  Space,
  Switch,
  Tooltip,
  Typography,
} from 'antd'
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError } from '../../../api/client.js'
import { why } from '../../pools/outcome.js'
import { useFormat } from '../../sales/format.js'
import {
  type ConditionError,
  ConditionTree,
  conditionErrors,
  countLeaves,
} from '../conditions/ConditionTree.js'
import {
  type ConditionNode,
  isProblem,
  problemNumber,
  type RulePreview,
  type RuleRemoval,
  type Tag,
  tagsApi,
  useRefreshTags,
} from './api.js'
import './i18n.js'

/** The body field that carries the tree: the server's error paths start with it. */
const PREFIX = 'rule'

/**
 * A tag's automatic rule: on/off, what happens when it stops holding, the conditions (W2's
 * ConditionTree), a preview of how many it would tag, save (400 → errors on the conditions; a rule
 * that tags everyone or no one asks first), run now, and the last run.
 */
export function RuleDrawer(props: {
  tag: Tag | null
  groupColor: string | null
  readOnly: boolean
  onClose: () => void
}) {
  const { t } = useTranslation()
  const { message, modal } = App.useApp()
  const fmt = useFormat()
  const refresh = useRefreshTags()
  const tag = props.tag
  const [tree, setTree] = useState<ConditionNode | null>(null)
  const [enabled, setEnabled] = useState(false)
  const [removal, setRemoval] = useState<RuleRemoval>('remove')
  const [errors, setErrors] = useState<ConditionError[]>([])
  const [preview, setPreview] = useState<RulePreview | null>(null)
  const [dirty, setDirty] = useState(false)
  const [busy, setBusy] = useState<'save' | 'preview' | 'run' | null>(null)

  // From the saved tag when the drawer opens on it; a refetch (after saving) keeps the edits.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another tag is opened
  useEffect(() => {
    if (!tag) return
    setTree(tag.rule ?? null)
    setEnabled(tag.ruleEnabled)
    setRemoval(tag.ruleRemoval ?? 'remove')
    setErrors([])
    setPreview(null)
    setDirty(false)
  }, [tag?.id])

  const edit = () => {
    setDirty(true)
    setPreview(null)
  }
  const hasConditions = tree ? countLeaves(tree) > 0 : false
  /** Server errors outside the tree (or with no field) as a message; those in it land on their inputs. */
  const failed = (e: unknown) => {
    const fields = conditionErrors(e)
    setErrors(fields)
    const elsewhere = fields.filter(
      (f) => f.field !== PREFIX && !f.field.startsWith(`${PREFIX}.`) && !f.field.startsWith(`${PREFIX}[`),
    )
    if (!fields.length || elsewhere.length) message.error(elsewhere[0]?.message ?? why(e))
  }

  const runPreview = async () => {
    if (!tree || !hasConditions) return message.warning(t('profileTags.rule.needConditions'))
    setBusy('preview')
    setErrors([])
    try {
      setPreview(await tagsApi.preview(tree))
    } catch (e) {
      failed(e)
    } finally {
      setBusy(null)
    }
  }

  const save = async (acknowledgeWarning = false) => {
    if (!tag) return
    if (enabled && !hasConditions) return message.warning(t('profileTags.rule.needConditions'))
    setBusy('save')
    setErrors([])
    try {
      await tagsApi.patchTag(tag.id, {
        rule: hasConditions ? tree : null,
        ruleEnabled: enabled,
        ruleRemoval: removal,
        version: tag.version,
        ...(acknowledgeWarning ? { acknowledgeWarning: true } : {}),
      })
      setDirty(false)
      message.success(enabled ? t('profileTags.rule.savedQueued') : t('profileTags.rule.saved'))
      await refresh()
    } catch (e) {
      if (isProblem(e, 'rule_warning')) {
        const warning = e instanceof ApiError && 'body' in e ? (e.body as { warning?: string }).warning : null
        const numbers = { matches: problemNumber(e, 'matches'), total: problemNumber(e, 'total') }
        setPreview({ ...numbers, warning: warning === 'everyone' ? 'everyone' : 'no_one' })
        modal.confirm({
          title: t('profileTags.rule.warnTitle'),
          content: (
            <div data-testid="rule-warning">
              <p>
                {warning === 'everyone'
                  ? t('profileTags.rule.warnEveryone')
                  : t('profileTags.rule.warnNoOne')}
              </p>
              <Typography.Text type="secondary">
                {t('profileTags.rule.previewResult', numbers)}
              </Typography.Text>
            </div>
          ),
          okText: t('profileTags.rule.saveAnyway'),
          okButtonProps: { 'data-testid': 'rule-warning-save' } as ButtonProps,
          onOk: () => save(true),
        })
      } else if (e instanceof ApiError && e.status === 409) {
        message.error(t('profileTags.conflict'))
        await refresh()
      } else failed(e)
    } finally {
      setBusy(null)
    }
  }

  const run = async () => {
    if (!tag) return
    setBusy('run')
    try {
      const r = await tagsApi.run(tag.id)
      message.success(t('profileTags.rule.runDone', { ...r }))
      await refresh()
    } catch (e) {
      message.error(why(e))
    } finally {
      setBusy(null)
    }
  }

  const runBlocked = dirty
    ? t('profileTags.rule.runDirty')
    : !tag?.ruleEnabled
      ? t('profileTags.rule.runOff')
      : null

  return (
    <Drawer
      open={Boolean(tag)}
      onClose={props.onClose}
      size={820}
      destroyOnHidden
      title={
        tag && (
          <Space size={8}>
            <ThunderboltOutlined />
            {t('profileTags.rule.title')}
            <AntTag color={tag.color ?? props.groupColor ?? undefined}>{tag.name}</AntTag>
          </Space>
        )
      }
      extra={
        !props.readOnly && (
          <Space>
            <Tooltip title={runBlocked}>
              <Button
                icon={<PlayCircleOutlined />}
                onClick={run}
                loading={busy === 'run'}
                disabled={Boolean(runBlocked) || busy !== null}
                data-testid="rule-run"
              >
                {t('profileTags.rule.run')}
              </Button>
            </Tooltip>
            <Button
              type="primary"
              onClick={() => save()}
              loading={busy === 'save'}
              disabled={busy !== null && busy !== 'save'}
              data-testid="rule-save"
            >
              {t('common.save')}
            </Button>
          </Space>
        )
      }
      data-testid="rule-drawer"
    >
      {tag && (
        <>
          {props.readOnly && (
            <Alert type="info" showIcon title={t('profileTags.rule.readOnly')} style={{ marginBottom: 16 }} />
          )}
          <Descriptions size="small" column={3} style={{ marginBottom: 16 }} data-testid="rule-last-run">
            <Descriptions.Item label={t('profileTags.rule.lastRun')}>
              {tag.ruleRunAt ? fmt.dateTime(tag.ruleRunAt) : t('profileTags.rule.never')}
            </Descriptions.Item>
            <Descriptions.Item label={t('profileTags.rule.matchCount')}>
              {tag.ruleRunAt ? (tag.ruleMatchCount ?? 0) : '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('profileTags.tag.persons')}>{tag.personCount}</Descriptions.Item>
          </Descriptions>
          <Form layout="horizontal" labelCol={{ flex: '180px' }} labelWrap labelAlign="left" colon={false}>
            <Form.Item label={t('profileTags.rule.enabled')} extra={t('profileTags.rule.enabledHelp')}>
              <Switch
                checked={enabled}
                disabled={props.readOnly}
                onChange={(v) => {
                  setEnabled(v)
                  edit()
                }}
                data-testid="rule-enabled"
              />
            </Form.Item>
            <Form.Item label={t('profileTags.rule.removal')}>
              <Radio.Group
                value={removal}
                disabled={props.readOnly}
                onChange={(e) => {
                  setRemoval(e.target.value)
                  edit()
                }}
                data-testid="rule-removal"
                options={[
                  { value: 'remove', label: t('profileTags.rule.remove') },
                  { value: 'keep', label: t('profileTags.rule.keep') },
                ]}
              />
            </Form.Item>
          </Form>
          <Typography.Title level={5}>{t('profileTags.rule.conditions')}</Typography.Title>
          <ConditionTree
            value={tree}
            onChange={(next) => {
              setTree(next)
              setErrors([])
              edit()
            }}
            errors={errors}
            prefix={PREFIX}
            disabled={props.readOnly}
            testId="rule-conditions"
          />
          {!props.readOnly && (
            <Space style={{ marginTop: 16 }} align="center" wrap>
              <Button
                icon={<EyeOutlined />}
                onClick={runPreview}
                loading={busy === 'preview'}
                disabled={!hasConditions || (busy !== null && busy !== 'preview')}
                data-testid="rule-preview"
              >
                {t('profileTags.rule.preview')}
              </Button>
              {preview && (
                <Space data-testid="rule-preview-result">
                  <Typography.Text strong>
                    {t('profileTags.rule.previewResult', { matches: preview.matches, total: preview.total })}
                  </Typography.Text>
                  {preview.warning && (
                    <AntTag color="warning">
                      {preview.warning === 'everyone'
                        ? t('profileTags.rule.everyone')
                        : t('profileTags.rule.noOne')}
                    </AntTag>
                  )}
                </Space>
              )}
            </Space>
          )}
        </>
      )}
    </Drawer>
  )
}
