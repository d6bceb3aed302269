import {
  AccountBookOutlined,
  AimOutlined,
  ApartmentOutlined,
  ApiOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  BranchesOutlined,
  CalendarOutlined,
  CheckSquareOutlined,
  CloudUploadOutlined,
  ClusterOutlined,
  ContactsOutlined,
  ControlOutlined,
  DatabaseOutlined,
  DeleteOutlined,
  DiffOutlined,
  FileTextOutlined,
  FilterOutlined,
  FormOutlined,
  FundOutlined,
  GroupOutlined,
  IdcardOutlined,
  InboxOutlined,
  LineChartOutlined,
  MessageOutlined,
  NodeIndexOutlined,
  NotificationOutlined,
  PartitionOutlined,
  PieChartOutlined,
  ProjectOutlined,
  SafetyOutlined,
  ScheduleOutlined,
  SettingOutlined,
  ShareAltOutlined,
  ShopOutlined,
  ShoppingCartOutlined,
  SolutionOutlined,
  SwapOutlined,
  TagsOutlined,
  TeamOutlined,
  ToolOutlined,
  UnorderedListOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons'
import { type ComponentType, type LazyExoticComponent, lazy } from 'react'
// The menu's labels: these catalogues are small and needed before any page of theirs loads.
import '../pages/campaigns/i18n.js'
import '../pages/intake/i18n.js'
import '../pages/pool-reports/i18n.js'
import '../pages/pool-settings/i18n.js'
import '../pages/pools/i18n.js'
import '../pages/profiles/menu.i18n.js'
import '../pages/quality/i18n.js'
import '../pages/sales/menu.i18n.js'

/** Pages load when first opened (the app's first load stays small; charts come with their pages). */
function lazyPage<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((m) => ({ default: m[name] })))
}
const CampaignsPage = lazyPage(() => import('../pages/campaigns/Campaigns.js'), 'CampaignsPage')
const ChannelsPage = lazyPage(() => import('../pages/intake/Channels.js'), 'ChannelsPage')
const ImportPage = lazyPage(() => import('../pages/intake/ImportWizard.js'), 'ImportPage')
const QualityDashboardPage = lazyPage(
  () => import('../pages/intake/QualityDashboard.js'),
  'QualityDashboardPage',
)
const LeadsPage = lazyPage(() => import('../pages/Leads.js'), 'LeadsPage')
const PoolsPage = lazyPage(() => import('../pages/pools/Pools.js'), 'PoolsPage')
const PublicPoolPage = lazyPage(() => import('../pages/pools/PublicPool.js'), 'PublicPoolPage')
const PoolReportsPage = lazyPage(() => import('../pages/pool-reports/PoolReports.js'), 'PoolReportsPage')
const poolSettings = () => import('../pages/pool-settings/pages.js')
const PoolsConfigPage = lazyPage(poolSettings, 'PoolsConfigPage')
const DistributionRulesPage = lazyPage(poolSettings, 'DistributionRulesPage')
const AssignmentRulesPage = lazyPage(poolSettings, 'AssignmentRulesPage')
const LeadSettingsPage = lazyPage(poolSettings, 'LeadSettingsPage')
const ScriptsPage = lazyPage(poolSettings, 'ScriptsPage')
const SchedulesPage = lazyPage(poolSettings, 'SchedulesPage')
const HandoverPage = lazyPage(poolSettings, 'HandoverPage')
const customersPages = () => import('../pages/sales/customers/pages.js')
const ordersPages = () => import('../pages/sales/orders/pages.js')
const tasksPages = () => import('../pages/sales/tasks/pages.js')
const opportunitiesPages = () => import('../pages/sales/opportunities/pages.js')
const salesSettingsPages = () => import('../pages/sales/settings/pages.js')
const CustomersPage = lazyPage(customersPages, 'CustomersPage')
const ContactsPage = lazyPage(customersPages, 'ContactsPage')
const CustomerPublicPoolPage = lazyPage(customersPages, 'CustomerPublicPoolPage')
const OrdersPage = lazyPage(ordersPages, 'OrdersPage')
const ReceivablesPage = lazyPage(ordersPages, 'ReceivablesPage')
const OrderImportPage = lazyPage(ordersPages, 'OrderImportPage')
const CalendarPage = lazyPage(tasksPages, 'CalendarPage')
const TasksPage = lazyPage(tasksPages, 'TasksPage')
const OpportunitiesBoardPage = lazyPage(opportunitiesPages, 'OpportunitiesBoardPage')
const OpportunitiesListPage = lazyPage(opportunitiesPages, 'OpportunitiesListPage')
const ForecastPage = lazyPage(opportunitiesPages, 'ForecastPage')
const QuotesPage = lazyPage(() => import('../pages/sales/quotes/pages.js'), 'QuotesPage')
const SalesAnalyticsPage = lazyPage(() => import('../pages/sales/analytics/pages.js'), 'SalesAnalyticsPage')
const PipelinesPage = lazyPage(salesSettingsPages, 'PipelinesPage')
const ProductsPage = lazyPage(salesSettingsPages, 'ProductsPage')
const CompetitorsPage = lazyPage(salesSettingsPages, 'CompetitorsPage')
const SalesSettingsPage = lazyPage(salesSettingsPages, 'SalesSettingsPage')
const tagsPages = () => import('../pages/profiles/tags/pages.js')
const PersonsPage = lazyPage(() => import('../pages/profiles/persons/pages.js'), 'PersonsPage')
const SegmentsPage = lazyPage(() => import('../pages/profiles/segments/pages.js'), 'SegmentsPage')
const TagsPage = lazyPage(tagsPages, 'TagsPage')
const TagImportPage = lazyPage(tagsPages, 'TagImportPage')
const QualityRulesPage = lazyPage(() => import('../pages/quality/QualityRules.js'), 'QualityRulesPage')
const ReviewQueuePage = lazyPage(() => import('../pages/quality/ReviewQueue.js'), 'ReviewQueuePage')
const ApiKeysPage = lazyPage(() => import('../pages/settings/ApiKeys.js'), 'ApiKeysPage')
const AuditPage = lazyPage(() => import('../pages/settings/Audit.js'), 'AuditPage')
const CustomFieldsPage = lazyPage(() => import('../pages/settings/CustomFields.js'), 'CustomFieldsPage')
const JobsPage = lazyPage(() => import('../pages/settings/Jobs.js'), 'JobsPage')
const OrgPage = lazyPage(() => import('../pages/settings/Org.js'), 'OrgPage')
const RecycleBinPage = lazyPage(() => import('../pages/settings/RecycleBin.js'), 'RecycleBinPage')
const RolesPage = lazyPage(() => import('../pages/settings/Roles.js'), 'RolesPage')
const UsersPage = lazyPage(() => import('../pages/settings/Users.js'), 'UsersPage')
const WorkspacePage = lazyPage(() => import('../pages/settings/Workspace.js'), 'WorkspacePage')

export interface NavItem {
  path: string
  label: string // i18n key
  permission: string
  icon: ComponentType
  Page: ComponentType | LazyExoticComponent<ComponentType>
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
    key: 'sales',
    label: 'salesMenu.group',
    icon: ShopOutlined,
    children: [
      {
        path: '/customers',
        label: 'salesMenu.customers',
        permission: 'customers.view',
        icon: BankOutlined,
        Page: CustomersPage,
      },
      {
        path: '/contacts',
        label: 'salesMenu.contacts',
        permission: 'customers.view',
        icon: IdcardOutlined,
        Page: ContactsPage,
      },
      {
        path: '/customers/public',
        label: 'salesMenu.publicPool',
        permission: 'customers.view',
        icon: InboxOutlined,
        Page: CustomerPublicPoolPage,
      },
      {
        path: '/opportunities',
        label: 'salesMenu.opportunities',
        permission: 'opportunities.view',
        icon: ProjectOutlined,
        Page: OpportunitiesBoardPage,
      },
      {
        path: '/opportunities/list',
        label: 'salesMenu.opportunityList',
        permission: 'opportunities.view',
        icon: UnorderedListOutlined,
        Page: OpportunitiesListPage,
      },
      {
        path: '/opportunities/forecast',
        label: 'salesMenu.forecast',
        permission: 'opportunities.view',
        icon: LineChartOutlined,
        Page: ForecastPage,
      },
      {
        path: '/quotes',
        label: 'salesMenu.quotes',
        permission: 'quotes.view',
        icon: FileTextOutlined,
        Page: QuotesPage,
      },
      {
        path: '/orders',
        label: 'salesMenu.orders',
        permission: 'orders.view',
        icon: ShoppingCartOutlined,
        Page: OrdersPage,
      },
      {
        path: '/orders/receivables',
        label: 'salesMenu.receivables',
        permission: 'orders.view',
        icon: AccountBookOutlined,
        Page: ReceivablesPage,
      },
      {
        path: '/orders/import',
        label: 'salesMenu.orderImport',
        permission: 'orders.import',
        icon: CloudUploadOutlined,
        Page: OrderImportPage,
      },
      {
        path: '/calendar',
        label: 'salesMenu.calendar',
        permission: 'tasks.view',
        icon: CalendarOutlined,
        Page: CalendarPage,
      },
      {
        path: '/tasks',
        label: 'salesMenu.tasks',
        permission: 'tasks.view',
        icon: CheckSquareOutlined,
        Page: TasksPage,
      },
      {
        path: '/sales/analytics',
        label: 'salesMenu.analytics',
        permission: 'opportunities.view',
        icon: PieChartOutlined,
        Page: SalesAnalyticsPage,
      },
    ],
  },
  {
    key: 'profiles',
    label: 'profilesMenu.group',
    icon: SolutionOutlined,
    children: [
      {
        path: '/persons',
        label: 'profilesMenu.persons',
        permission: 'profiles.view',
        icon: IdcardOutlined,
        Page: PersonsPage,
      },
      {
        path: '/segments',
        label: 'profilesMenu.segments',
        permission: 'segments.view',
        icon: GroupOutlined,
        Page: SegmentsPage,
      },
      {
        path: '/tags',
        label: 'profilesMenu.tags',
        permission: 'profiles.view',
        icon: TagsOutlined,
        Page: TagsPage,
      },
      {
        path: '/tags/import',
        label: 'profilesMenu.tagImport',
        permission: 'profiles.import',
        icon: CloudUploadOutlined,
        Page: TagImportPage,
      },
    ],
  },
  {
    key: 'sales-settings',
    label: 'salesMenu.settingsGroup',
    icon: ToolOutlined,
    children: [
      {
        path: '/sales-settings/pipelines',
        label: 'salesMenu.pipelines',
        permission: 'opportunities.configure',
        icon: BranchesOutlined,
        Page: PipelinesPage,
      },
      {
        path: '/sales-settings/products',
        label: 'salesMenu.products',
        permission: 'products.view',
        icon: AppstoreOutlined,
        Page: ProductsPage,
      },
      {
        path: '/sales-settings/competitors',
        label: 'salesMenu.competitors',
        permission: 'products.view',
        icon: AimOutlined,
        Page: CompetitorsPage,
      },
      {
        path: '/sales-settings/options',
        label: 'salesMenu.settings',
        permission: 'opportunities.configure',
        icon: ControlOutlined,
        Page: SalesSettingsPage,
      },
    ],
  },
  {
    key: 'pools',
    label: 'pools.menu.group',
    icon: ClusterOutlined,
    children: [
      {
        path: '/pools/views',
        label: 'pools.menu.pools',
        permission: 'leads.view',
        icon: PartitionOutlined,
        Page: PoolsPage,
      },
      {
        path: '/pools/public',
        label: 'pools.menu.public',
        permission: 'leads.view',
        icon: InboxOutlined,
        Page: PublicPoolPage,
      },
      {
        path: '/pools/reports',
        label: 'poolReports.menu',
        permission: 'leads.view',
        icon: FundOutlined,
        Page: PoolReportsPage,
      },
    ],
  },
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
    key: 'pool-settings',
    label: 'poolSettings.menu.group',
    icon: ToolOutlined,
    children: [
      {
        path: '/pool-settings/pools',
        label: 'poolSettings.menu.pools',
        permission: 'leads.configure',
        icon: DatabaseOutlined,
        Page: PoolsConfigPage,
      },
      {
        path: '/pool-settings/distribution',
        label: 'poolSettings.menu.distribution',
        permission: 'leads.configure',
        icon: ShareAltOutlined,
        Page: DistributionRulesPage,
      },
      {
        path: '/pool-settings/assignment',
        label: 'poolSettings.menu.assignment',
        permission: 'leads.configure',
        icon: UserSwitchOutlined,
        Page: AssignmentRulesPage,
      },
      {
        path: '/pool-settings/lead',
        label: 'poolSettings.menu.leadSettings',
        permission: 'leads.configure',
        icon: ControlOutlined,
        Page: LeadSettingsPage,
      },
      {
        path: '/pool-settings/scripts',
        label: 'poolSettings.menu.scripts',
        permission: 'leads.configure',
        icon: MessageOutlined,
        Page: ScriptsPage,
      },
      {
        path: '/pool-settings/schedules',
        label: 'poolSettings.menu.schedules',
        permission: 'leads.configure',
        icon: CalendarOutlined,
        Page: SchedulesPage,
      },
      {
        path: '/pool-settings/handover',
        label: 'poolSettings.menu.handover',
        permission: 'leads.assign',
        icon: SwapOutlined,
        Page: HandoverPage,
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
