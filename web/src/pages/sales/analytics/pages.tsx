// Sales pages (analytics) — being built by the web-opportunities helper; each export is a routed page.
import { Empty } from 'antd'

export function SalesAnalyticsPage() {
  return <Empty />
}
