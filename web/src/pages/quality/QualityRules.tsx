import { Tabs, Typography } from 'antd'
import { useTranslation } from 'react-i18next'
import '../intake/i18n.js'
import { DedupeRules } from './DedupeRules.js'
import './i18n.js'
import { QualitySettings } from './QualitySettings.js'
import { ScoringRules } from './ScoringRules.js'

/** 清洗规则: the data factory's configuration — dedupe rules, scoring, validation and merge policy. */
export function QualityRulesPage() {
  const { t } = useTranslation()
  return (
    <>
      <Typography.Title level={4}>{t('quality.rules.title')}</Typography.Title>
      <Tabs
        items={[
          { key: 'dedupe', label: t('quality.rules.dedupe'), children: <DedupeRules /> },
          { key: 'scoring', label: t('quality.rules.scoring'), children: <ScoringRules /> },
          { key: 'validation', label: t('quality.rules.validation'), children: <QualitySettings /> },
        ]}
      />
    </>
  )
}
