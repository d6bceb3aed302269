import {
  ApartmentOutlined,
  ApiOutlined,
  AuditOutlined,
  ContactsOutlined,
  DeleteOutlined,
  FormOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SettingOutlined,
  TeamOutlined,
} from '@ant-design/icons'
import type { ComponentType } from 'react'
import { LeadsPage } from '../pages/Leads.js'
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
