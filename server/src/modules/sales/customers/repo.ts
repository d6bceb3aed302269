import { createRepository } from '../../../platform/access/data-access.js'
import { contacts, customers } from './schema.js'

/** Customers (客户), scoped like leads: owner (self), unit (department/tree), org boundary. */
export const customersRepo = createRepository({
  table: customers,
  objectType: 'customer',
  scope: { owner: customers.ownerId, unit: customers.unitId, org: customers.orgId },
  pii: { phone: 'phone', email: 'email' },
  sortable: ['createdAt', 'updatedAt', 'name', 'orderTotal', 'lastOrderAt'],
})

/** Contacts (联系人): their scope columns are copied from their customer. */
export const contactsRepo = createRepository({
  table: contacts,
  objectType: 'contact',
  scope: { owner: contacts.ownerId, unit: contacts.unitId, org: contacts.orgId },
  pii: { mobile: 'phone', email: 'email' },
  sortable: ['createdAt', 'updatedAt', 'name'],
})
