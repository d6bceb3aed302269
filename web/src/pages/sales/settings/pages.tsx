// Sales pages (settings) — being built by the web-opportunities helper; each export is a routed page.
import { Empty } from 'antd'

export function PipelinesPage() {
  return <Empty />
}
export function ProductsPage() {
  return <Empty />
}
export function CompetitorsPage() {
  return <Empty />
}
export function SalesSettingsPage() {
  return <Empty />
}
