import { DownloadOutlined, FileTextOutlined, InboxOutlined } from '@ant-design/icons'
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Result,
  Select,
  Space,
  Statistic,
  Table,
  Typography,
  Upload,
} from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCan } from '../../../session.js'
import { why } from '../../pools/outcome.js'
import '../menu.i18n.js'
import { type ImportResult, tagsApi, templateUrl, useRefreshTags, useTagGroups } from './api.js'
import './i18n.js'

const COUNTS = ['rows', 'tagged', 'created'] as const

/**
 * 导入标签: a file of identities (手机 / 邮箱 / 客户编号…) and tag names → tags on the matching people;
 * tags that do not exist are refused per row, or created in the chosen group. The answer lists the
 * rows that did not go in with their row numbers.
 */
export function TagImportPage() {
  const { t, i18n } = useTranslation()
  const lang = ['zh-CN', 'zh-TW', 'en'].includes(i18n.language) ? i18n.language : 'zh-CN'
  const { message } = App.useApp()
  const can = useCan()
  const groups = useTagGroups()
  const refresh = useRefreshTags()
  const [file, setFile] = useState<File | null>(null)
  const [createMissing, setCreateMissing] = useState(false)
  const [groupId, setGroupId] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<ImportResult | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  // Creating tags is configuring the taxonomy.
  const mayCreate = can('profiles.configure')

  const start = async () => {
    if (!file) return setProblem(t('profileTags.import.noFile'))
    if (createMissing && !groupId) return setProblem(t('profileTags.import.groupRequired'))
    setBusy(true)
    setProblem(null)
    try {
      setResult(await tagsApi.importTags(file, { createMissing, groupId: createMissing ? groupId : null }))
      await refresh()
    } catch (e) {
      message.error(why(e))
      setProblem(why(e))
    } finally {
      setBusy(false)
    }
  }
  const errorCount = result ? (result.errorCount ?? result.errors.length) : 0
  const again = () => {
    setResult(null)
    setFile(null)
    setProblem(null)
  }

  return (
    <div data-testid="tag-import-page">
      <Typography.Title level={4}>{t('profilesMenu.tagImport')}</Typography.Title>
      {!result ? (
        <Card>
          <Typography.Paragraph type="secondary">{t('profileTags.import.hint')}</Typography.Paragraph>
          <Space style={{ marginBottom: 16 }} wrap>
            {(['xlsx', 'csv'] as const).map((f) => (
              <Button
                key={f}
                icon={<DownloadOutlined />}
                href={templateUrl(f, lang)}
                data-testid={`tag-import-template-${f}`}
              >
                {t('profileTags.import.template')} (.{f})
              </Button>
            ))}
          </Space>
          <Upload.Dragger
            accept=".csv,.txt,.xlsx"
            showUploadList={false}
            maxCount={1}
            beforeUpload={(f) => {
              setFile(f)
              setProblem(null)
              return false
            }}
            disabled={busy}
            data-testid="tag-import-upload"
          >
            <p className="ant-upload-drag-icon">{file ? <FileTextOutlined /> : <InboxOutlined />}</p>
            <p className="ant-upload-text" data-testid="tag-import-file">
              {file ? file.name : t('profileTags.import.drop')}
            </p>
            {file && <p className="ant-upload-hint">{t('profileTags.import.changeFile')}</p>}
          </Upload.Dragger>
          <Form layout="vertical" style={{ marginTop: 16, maxWidth: 480 }}>
            {mayCreate && (
              <Form.Item style={{ marginBottom: 8 }}>
                <Checkbox
                  checked={createMissing}
                  onChange={(e) => {
                    setCreateMissing(e.target.checked)
                    setProblem(null)
                  }}
                  data-testid="tag-import-create-missing"
                >
                  {t('profileTags.import.createMissing')}
                </Checkbox>
              </Form.Item>
            )}
            {mayCreate && createMissing && (
              <Form.Item label={t('profileTags.import.group')} required>
                <Select
                  value={groupId ?? undefined}
                  onChange={(v: string) => {
                    setGroupId(v)
                    setProblem(null)
                  }}
                  placeholder={t('profileTags.import.groupPh')}
                  loading={groups.isLoading}
                  options={(groups.data ?? []).map((g) => ({
                    value: g.id,
                    label: g.exclusive ? `${g.name}（${t('profileTags.group.single')}）` : g.name,
                  }))}
                  data-testid="tag-import-group"
                />
              </Form.Item>
            )}
            {problem && (
              <Alert
                type="error"
                showIcon
                title={problem}
                style={{ marginBottom: 16 }}
                data-testid="tag-import-problem"
              />
            )}
            <Button
              type="primary"
              onClick={start}
              loading={busy}
              disabled={!file}
              data-testid="tag-import-start"
            >
              {t('profileTags.import.start')}
            </Button>
          </Form>
        </Card>
      ) : (
        <Card data-testid="tag-import-result">
          <Result
            status={errorCount ? 'warning' : 'success'}
            title={
              errorCount
                ? t('profileTags.import.doneErrors', { n: new Set(result.errors.map((e) => e.row)).size })
                : t('profileTags.import.done')
            }
            extra={
              <Button type="primary" onClick={again} data-testid="tag-import-again">
                {t('profileTags.import.again')}
              </Button>
            }
          />
          <Space size={48} wrap style={{ justifyContent: 'center', width: '100%', marginBottom: 24 }}>
            {COUNTS.map((k) => (
              <Statistic
                key={k}
                title={t(`profileTags.import.${k}`)}
                value={result[k]}
                data-testid={`tag-import-count-${k}`}
              />
            ))}
            <Statistic
              title={t('profileTags.import.errorCount')}
              value={errorCount}
              styles={errorCount ? { content: { color: '#cf1322' } } : undefined}
              data-testid="tag-import-count-errors"
            />
          </Space>
          {result.errors.length > 0 && (
            <>
              <Typography.Title level={5}>{t('profileTags.import.errors')}</Typography.Title>
              <Table
                size="small"
                rowKey={(r) => `${r.row}-${r.field ?? ''}-${r.code}`}
                dataSource={result.errors}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                data-testid="tag-import-errors"
                columns={[
                  { key: 'row', title: t('profileTags.import.row'), dataIndex: 'row', width: 80 },
                  {
                    key: 'field',
                    title: t('profileTags.import.field'),
                    width: 140,
                    render: (_, r) => r.field || '—',
                  },
                  { key: 'message', title: t('profileTags.import.message'), dataIndex: 'message' },
                ]}
              />
            </>
          )}
        </Card>
      )}
    </div>
  )
}
