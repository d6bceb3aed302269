// Sales pages (customers): each export is a routed page (web/src/layout/nav.ts, web/src/App.tsx).
export { ContactsPage } from './Contacts.js'
export { Customer360Page } from './Customer360.js'
export { CustomersPage } from './CustomersList.js'
export { CustomerPublicPoolPage } from './PublicPool.js'
