// Every table of the application, for Drizzle's query builder and drizzle-kit.

export * from '../../modules/campaigns/schema.js'
export * from '../../modules/intake/schema.js'
export * from '../../modules/leads/schema.js'
export * from '../../modules/quality/schema.js'
export * from '../audit/schema.js'
export * from '../auth/schema.js'
export * from '../custom-fields/schema.js'
export * from '../events/schema.js'
export * from '../jobs/schema.js'
export * from '../org/schema.js'
export * from '../tenancy/schema.js'
