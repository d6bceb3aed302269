// Sales pages (tasks): each export is a routed page (web/src/layout/nav.ts, web/src/App.tsx).
export { CalendarPage } from './Calendar.js'
export { TasksPage } from './Tasks.js'
