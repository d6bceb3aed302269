import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Button, Checkbox, Col, Form, InputNumber, Radio, Row, Space } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema'
import { ConditionBuilder } from './ConditionBuilder.js'
import type { AssignmentRule, LeadCondition } from './data.js'
import { PoolPicker, UserPicker } from './pickers.js'
import { RuleCards, type RuleEndpoints } from './RuleCards.js'

type Body = NonNullable<
  paths['/api/v1/assignment-rules']['post']['requestBody']
>['content']['application/json']

const endpoints: RuleEndpoints<AssignmentRule, Body> = {
  key: 'assignment-rules',
  list: async () => (await call(api.GET('/api/v1/assignment-rules'))) as AssignmentRule[],
  create: (body) => call(api.POST('/api/v1/assignment-rules', { body })),
  update: (id, body) => call(api.PATCH('/api/v1/assignment-rules/{id}', { params: { path: { id } }, body })),
  remove: (id) => call(api.DELETE('/api/v1/assignment-rules/{id}', { params: { path: { id } } })),
  reorder: (ids) => call(api.POST('/api/v1/assignment-rules/reorder', { body: { ids } })),
}

const STRATEGIES = ['round_robin', 'weighted', 'least_loaded'] as const

/**
 * 分配规则: ordered rules giving the leads of a pool to people — round robin, weighted or least
 * loaded — within each person's capacity, skipping people off duty or on leave.
 */
export function AssignmentRules() {
  const { t } = useTranslation()
  return (
    <RuleCards<AssignmentRule, Body>
      endpoints={endpoints}
      testId="assignment-rules"
      help={t('poolSettings.assignment.help')}
      blank={() => ({
        name: '',
        enabled: true,
        poolId: null,
        strategy: 'round_robin',
        conditions: [],
        members: [],
        respectSchedule: true,
      })}
      toBody={(v) => ({
        name: v.name as string,
        enabled: (v.enabled as boolean) ?? true,
        poolId: (v.poolId as string) ?? null,
        strategy: v.strategy as AssignmentRule['strategy'],
        conditions: (v.conditions as LeadCondition[]) ?? [],
        respectSchedule: (v.respectSchedule as boolean) ?? true,
        members: (
          (v.members ?? []) as { userId: string; weight?: number | null; capacity?: number | null }[]
        ).map((m) => ({
          userId: m.userId,
          weight: m.weight ?? 1,
          capacity: m.capacity ?? null,
        })),
      })}
      body={() => <AssignmentBody />}
    />
  )
}

function AssignmentBody() {
  const { t } = useTranslation()
  const form = Form.useFormInstance()
  const strategy = Form.useWatch('strategy', form)
  return (
    <Row gutter={24}>
      <Col xs={24} xl={12}>
        <Form.Item
          name="poolId"
          label={t('poolSettings.assignment.pool')}
          tooltip={t('poolSettings.assignment.poolHelp')}
        >
          <PoolPicker
            kinds={['master', 'sub']}
            allowClear
            placeholder={t('poolSettings.assignment.anyPool')}
          />
        </Form.Item>
        <Form.Item label={t('poolSettings.conditions.title')} tooltip={t('poolSettings.conditions.help')}>
          <ConditionBuilder name="conditions" />
        </Form.Item>
      </Col>
      <Col xs={24} xl={12}>
        <Form.Item name="strategy" label={t('poolSettings.assignment.strategy')}>
          <Radio.Group
            optionType="button"
            options={STRATEGIES.map((s) => ({
              value: s,
              label: t(`poolSettings.assignment.strategies.${s}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="respectSchedule" valuePropName="checked">
          <Checkbox>{t('poolSettings.assignment.respectSchedule')}</Checkbox>
        </Form.Item>
        <Form.Item label={t('poolSettings.assignment.members')} required>
          <Form.List
            name="members"
            rules={[
              {
                validator: async (_, v) => {
                  if (!v?.length) throw new Error(t('poolSettings.assignment.membersRequired'))
                },
              },
            ]}
          >
            {(items, { add, remove }, { errors }) => (
              <Space direction="vertical" style={{ width: '100%' }} size={4} data-testid="rule-members">
                {items.map((m) => (
                  <Form.Item key={m.key} style={{ marginBottom: 4 }}>
                    <Space wrap align="start" size={4}>
                      <Form.Item name={[m.name, 'userId']} noStyle rules={[{ required: true }]}>
                        <UserPicker style={{ width: 260 }} />
                      </Form.Item>
                      {strategy === 'weighted' && (
                        <Form.Item name={[m.name, 'weight']} noStyle initialValue={1}>
                          <InputNumber
                            min={1}
                            max={100}
                            precision={0}
                            style={{ width: 110 }}
                            prefix={t('poolSettings.assignment.weight')}
                          />
                        </Form.Item>
                      )}
                      <Form.Item name={[m.name, 'capacity']} noStyle>
                        <InputNumber
                          min={1}
                          max={100000}
                          precision={0}
                          style={{ width: 150 }}
                          prefix={t('poolSettings.assignment.capacity')}
                          placeholder={t('poolSettings.unlimited')}
                        />
                      </Form.Item>
                      <Button
                        type="text"
                        icon={<DeleteOutlined />}
                        title={t('poolSettings.remove')}
                        aria-label={t('poolSettings.remove')}
                        onClick={() => remove(m.name)}
                      />
                    </Space>
                  </Form.Item>
                ))}
                <Form.ErrorList errors={errors} />
                <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => add({ weight: 1 })}>
                  {t('poolSettings.assignment.addMember')}
                </Button>
              </Space>
            )}
          </Form.List>
        </Form.Item>
      </Col>
    </Row>
  )
}
