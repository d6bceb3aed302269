import { Col, Form, Row } from 'antd'
import { useTranslation } from 'react-i18next'
import { api, call } from '../../api/client.js'
import type { paths } from '../../api/schema'
import { ConditionBuilder } from './ConditionBuilder.js'
import type { DistributionRule, LeadCondition } from './data.js'
import { PoolPicker, UnitPicker } from './pickers.js'
import { RuleCards, type RuleEndpoints } from './RuleCards.js'

type Body = NonNullable<
  paths['/api/v1/distribution-rules']['post']['requestBody']
>['content']['application/json']

const endpoints: RuleEndpoints<DistributionRule, Body> = {
  key: 'distribution-rules',
  list: async () => (await call(api.GET('/api/v1/distribution-rules'))) as DistributionRule[],
  create: (body) => call(api.POST('/api/v1/distribution-rules', { body })),
  update: (id, body) =>
    call(api.PATCH('/api/v1/distribution-rules/{id}', { params: { path: { id } }, body })),
  remove: (id) => call(api.DELETE('/api/v1/distribution-rules/{id}', { params: { path: { id } } })),
  reorder: (ids) => call(api.POST('/api/v1/distribution-rules/reorder', { body: { ids } })),
}

/**
 * 分发规则: ordered rules moving arriving leads from a source pool (the master pool unless named) to
 * a sub-pool and/or another organisation (HQ → branches and dealers). The first match wins.
 */
export function DistributionRules() {
  const { t } = useTranslation()
  return (
    <RuleCards<DistributionRule, Body>
      endpoints={endpoints}
      testId="distribution-rules"
      help={t('poolSettings.distribution.help')}
      blank={() => ({
        name: '',
        enabled: true,
        sourcePoolId: null,
        conditions: [],
        targetPoolId: null,
        targetUnitId: null,
      })}
      toBody={(v) => ({
        name: v.name as string,
        enabled: (v.enabled as boolean) ?? true,
        sourcePoolId: (v.sourcePoolId as string) ?? null,
        conditions: (v.conditions as LeadCondition[]) ?? [],
        targetPoolId: (v.targetPoolId as string) ?? null,
        targetUnitId: (v.targetUnitId as string) ?? null,
      })}
      body={() => (
        <Row gutter={24}>
          <Col xs={24} xl={14}>
            <Form.Item label={t('poolSettings.conditions.title')} tooltip={t('poolSettings.conditions.help')}>
              <ConditionBuilder name="conditions" />
            </Form.Item>
          </Col>
          <Col xs={24} xl={10}>
            <Form.Item
              name="sourcePoolId"
              label={t('poolSettings.distribution.source')}
              tooltip={t('poolSettings.distribution.sourceHelp')}
            >
              <PoolPicker
                kinds={['master', 'sub']}
                allowClear
                placeholder={t('poolSettings.distribution.masterPool')}
              />
            </Form.Item>
            <Form.Item name="targetPoolId" label={t('poolSettings.distribution.targetPool')}>
              <PoolPicker kinds={['sub', 'public']} allowClear />
            </Form.Item>
            <Form.Item
              name="targetUnitId"
              label={t('poolSettings.distribution.targetUnit')}
              tooltip={t('poolSettings.distribution.targetUnitHelp')}
            >
              <UnitPicker allowClear />
            </Form.Item>
          </Col>
        </Row>
      )}
    />
  )
}
