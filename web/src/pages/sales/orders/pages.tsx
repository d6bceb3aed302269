// Sales pages (orders) — being built by the web-customers helper; each export is a routed page.
import { Empty } from 'antd'

export function OrdersPage() {
  return <Empty />
}
export function OrderPage() {
  return <Empty />
}
export function ReceivablesPage() {
  return <Empty />
}
export function OrderImportPage() {
  return <Empty />
}
