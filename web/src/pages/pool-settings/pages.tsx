import { Typography } from 'antd'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import '../intake/i18n.js'
import { AssignmentRules } from './AssignmentRules.js'
import { DistributionRules } from './DistributionRules.js'
import './i18n.js'
import { LeadSettings } from './LeadSettings.js'
import { PoolsConfig } from './PoolsConfig.js'
import { Schedules } from './Schedules.js'
import { Scripts } from './Scripts.js'

export { HandoverPage } from './Handover.js'

/** The lead-pool settings pages (线索池设置), one menu entry each, loaded together. */
function Titled({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation()
  return (
    <>
      <Typography.Title level={4}>{t(title)}</Typography.Title>
      {children}
    </>
  )
}

export const PoolsConfigPage = () => (
  <Titled title="poolSettings.menu.pools">
    <PoolsConfig />
  </Titled>
)
export const DistributionRulesPage = () => (
  <Titled title="poolSettings.menu.distribution">
    <DistributionRules />
  </Titled>
)
export const AssignmentRulesPage = () => (
  <Titled title="poolSettings.menu.assignment">
    <AssignmentRules />
  </Titled>
)
export const LeadSettingsPage = () => (
  <Titled title="poolSettings.menu.leadSettings">
    <LeadSettings />
  </Titled>
)
export const ScriptsPage = () => (
  <Titled title="poolSettings.menu.scripts">
    <Scripts />
  </Titled>
)
export const SchedulesPage = () => (
  <Titled title="poolSettings.menu.schedules">
    <Schedules />
  </Titled>
)
