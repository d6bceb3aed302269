// Sales pages (quotes) — being built by the web-opportunities helper; each export is a routed page.
import { Empty } from 'antd'

export function QuotesPage() {
  return <Empty />
}
export function QuotePage() {
  return <Empty />
}
