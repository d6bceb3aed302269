// Sales pages (tasks) — being built by the web-customers helper; each export is a routed page.
import { Empty } from 'antd'

export function CalendarPage() {
  return <Empty />
}
export function TasksPage() {
  return <Empty />
}
