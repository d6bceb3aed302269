// Sales pages (customers) — being built by the web-customers helper; each export is a routed page.
import { Empty } from 'antd'

export function CustomersPage() {
  return <Empty />
}
export function Customer360Page() {
  return <Empty />
}
export function CustomerPublicPoolPage() {
  return <Empty />
}
export function ContactsPage() {
  return <Empty />
}
