import { DownloadOutlined } from '@ant-design/icons'
import { Button, Dropdown } from 'antd'
import { useTranslation } from 'react-i18next'
import { listQuery } from '../api/client.js'
import type { paths } from '../api/schema'
import { useCan } from '../session.js'

/** The list exports of the API (a path that leaves the generated spec fails the build). */
export type ListExportPath = Extract<
  keyof paths,
  | '/api/v1/leads/export'
  | '/api/v1/customers/export'
  | '/api/v1/opportunities/export'
  | '/api/v1/orders/export'
>

/** The download of a list export with the list's filter, sort and search. */
export function exportUrl(
  path: ListExportPath,
  format: 'csv' | 'xlsx',
  q: { filter?: Record<string, unknown>; sort?: string; q?: string },
): string {
  const query = new URLSearchParams({
    ...(listQuery({ filter: q.filter, sort: q.sort }) as Record<string, string>),
    ...(q.q ? { q: q.q } : {}),
    format,
  })
  return `${path}?${query}`
}

/**
 * 导出 / Export (CSV or Excel) of a list as it is filtered now, shown only with the permission.
 * The browser downloads the file the server streams (like the segment export), so any number of
 * rows goes straight to disk.
 */
export function ExportButton(props: {
  path: ListExportPath
  permission: string
  filter?: Record<string, unknown>
  sort?: string
  q?: string
  testId: string
}) {
  const { t } = useTranslation()
  const can = useCan()
  if (!can(props.permission)) return null
  const item = (format: 'csv' | 'xlsx', label: string) => ({
    key: format,
    label: (
      <a href={exportUrl(props.path, format, props)} download data-testid={`${props.testId}-${format}`}>
        {label}
      </a>
    ),
  })
  return (
    <Dropdown menu={{ items: [item('xlsx', t('common.exportXlsx')), item('csv', t('common.exportCsv'))] }}>
      <Button icon={<DownloadOutlined />} data-testid={props.testId}>
        {t('common.export')}
      </Button>
    </Dropdown>
  )
}
