// Sales pages (orders): each export is a routed page (web/src/layout/nav.ts, web/src/App.tsx).
export { OrderPage } from './OrderDetail.js'
export { OrderImportPage } from './OrderImport.js'
export { OrdersPage } from './OrdersList.js'
export { ReceivablesPage } from './Receivables.js'
