// Sales pages (opportunities) — being built by the web-opportunities helper; each export is a routed page.
import { Empty } from 'antd'

export function OpportunitiesBoardPage() {
  return <Empty />
}
export function OpportunitiesListPage() {
  return <Empty />
}
export function OpportunityPage() {
  return <Empty />
}
export function ForecastPage() {
  return <Empty />
}
