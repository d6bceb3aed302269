import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  ContactsOutlined,
  DeleteOutlined,
  DiffOutlined,
  FilterOutlined,
  FormOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons'
import type { ComponentType } from 'react'
import { CampaignsPage } from '../pages/campaigns/Campaigns.js'
import { ChannelsPage } from '../pages/intake/Channels.js'
import { ImportPage } from '../pages/intake/ImportWizard.js'
import { QualityDashboardPage } from '../pages/intake/QualityDashboard.js'
import { LeadsPage } from '../pages/Leads.js'
import { QualityRulesPage } from '../pages/quality/QualityRules.js'
import { ReviewQueuePage } from '../pages/quality/ReviewQueue.js'
import { ApiKeysPage } from '../pages/settings/ApiKeys.js'
import { AuditPage } from '../pages/settings/Audit.js'
import { CustomFieldsPage } from '../pages/settings/CustomFields.js'
import { JobsPage } from '../pages/settings/Jobs.js'
import { OrgPage } from '../pages/settings/Org.js'
import { RecycleBinPage } from '../pages/settings/RecycleBin.js'
import { RolesPage } from '../pages/settings/Roles.js'
import { UsersPage } from '../pages/settings/Users.js'
import { WorkspacePage } from '../pages/settings/Workspace.js'

export interface NavItem {
  path: string
  label: string // i18n key
  permission: string
  icon: ComponentType
  Page: ComponentType
}
export interface NavGroup {
  key: string
  label: string
  icon: ComponentType
  children: NavItem[]
}

/** The side menu. Modules add their entries here as they land; items show only with their permission. */
export const NAV: (NavItem | NavGroup)[] = [
  { path: '/leads', label: 'menu.leads', permission: 'leads.view', icon: ContactsOutlined, Page: LeadsPage },
  {
    key: 'intake',
    label: 'intake.menu.intake',
    icon: CloudUploadOutlined,
    children: [
      {
        path: '/intake/import',
        label: 'intake.menu.import',
        permission: 'leads.import',
        icon: CloudUploadOutlined,
        Page: ImportPage,
      },
      {
        path: '/intake/channels',
        label: 'intake.menu.channels',
        permission: 'intake.view',
        icon: NodeIndexOutlined,
        Page: ChannelsPage,
      },
      {
        path: '/intake/quality',
        label: 'intake.menu.quality',
        permission: 'intake.view',
        icon: BarChartOutlined,
        Page: QualityDashboardPage,
      },
      {
        path: '/intake/review',
        label: 'quality.menu.review',
        permission: 'quality.view',
        icon: DiffOutlined,
        Page: ReviewQueuePage,
      },
      {
        path: '/intake/rules',
        label: 'quality.menu.rules',
        permission: 'quality.view',
        icon: FilterOutlined,
        Page: QualityRulesPage,
      },
      {
        path: '/campaigns',
        label: 'campaigns.menu',
        permission: 'campaigns.view',
        icon: NotificationOutlined,
        Page: CampaignsPage,
      },
    ],
  },
  {
    key: 'settings',
    label: 'menu.settings',
    icon: SettingOutlined,
    children: [
      {
        path: '/settings/org',
        label: 'menu.org',
        permission: 'org.view',
        icon: ApartmentOutlined,
        Page: OrgPage,
      },
      {
        path: '/settings/users',
        label: 'menu.users',
        permission: 'users.view',
        icon: TeamOutlined,
        Page: UsersPage,
      },
      {
        path: '/settings/roles',
        label: 'menu.roles',
        permission: 'roles.view',
        icon: SafetyOutlined,
        Page: RolesPage,
      },
      {
        path: '/settings/custom-fields',
        label: 'menu.customFields',
        permission: 'custom_fields.view',
        icon: FormOutlined,
        Page: CustomFieldsPage,
      },
      {
        path: '/settings/api-keys',
        label: 'menu.apiKeys',
        permission: 'api_keys.view',
        icon: ApiOutlined,
        Page: ApiKeysPage,
      },
      {
        path: '/settings/audit',
        label: 'menu.audit',
        permission: 'audit.view',
        icon: AuditOutlined,
        Page: AuditPage,
      },
      {
        path: '/settings/recycle-bin',
        label: 'menu.recycleBin',
        permission: 'recycle_bin.view',
        icon: DeleteOutlined,
        Page: RecycleBinPage,
      },
      {
        path: '/settings/jobs',
        label: 'menu.jobs',
        permission: 'jobs.view',
        icon: ScheduleOutlined,
        Page: JobsPage,
      },
      {
        path: '/settings/workspace',
        label: 'menu.workspace',
        permission: 'workspace.view',
        icon: SettingOutlined,
        Page: WorkspacePage,
      },
    ],
  },
]
