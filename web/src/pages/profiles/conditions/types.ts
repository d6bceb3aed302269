// The profile condition tree as the API carries it (server/src/modules/profiles/conditions/types.ts
// is the original; the web cannot import server code, so the shape is repeated here).

export const CONDITION_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'in',
  'not_in',
  'all',
  'contains',
  'starts_with',
  'empty',
  'not_empty',
  'regex',
  'in_last_days',
  'not_in_last_days',
  'before',
  'after',
] as const
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number]

export interface ConditionParams {
  days?: number
  eventType?: string
  property?: string
  propertyValue?: string
  channelId?: string
}

/** A leaf. While it is being filled in, `field` may be '' (none picked yet). */
export interface Condition {
  field: string
  op: ConditionOperator
  value?: unknown
  params?: ConditionParams
}

export interface ConditionGroup {
  match: 'all' | 'any'
  conditions: ConditionNode[]
}

export type ConditionNode = Condition | ConditionGroup

export const isGroup = (n: ConditionNode | null | undefined): n is ConditionGroup =>
  typeof n === 'object' && n !== null && 'conditions' in n

/** The server's limits (types.ts): nesting depth (the root group is level 1) and leaves in all. */
export const MAX_CONDITION_DEPTH = 4
export const MAX_CONDITIONS = 50

export type FieldGroup =
  | 'person'
  | 'tags'
  | 'identity'
  | 'lead'
  | 'customer'
  | 'channel'
  | 'behaviour'
  | 'orders'
export const FIELD_GROUPS: FieldGroup[] = [
  'person',
  'tags',
  'identity',
  'lead',
  'customer',
  'channel',
  'behaviour',
  'orders',
]
export type FieldKind =
  | 'text'
  | 'number'
  | 'money'
  | 'date'
  | 'region'
  | 'enum'
  | 'uuid'
  | 'boolean'
  | 'tags'
  | 'identity'
  | 'channel'
export type ParamKey = 'days' | 'eventType' | 'property' | 'propertyValue' | 'channelId'

/** One field of the catalogue (GET /api/v1/profile-conditions/fields). */
export interface CatalogueField {
  field: string
  group: FieldGroup
  label: string
  kind: FieldKind
  ops: ConditionOperator[]
  params?: ParamKey[]
  /** Parameters that must be given (events.count: eventType). */
  requiredParams?: ParamKey[]
  /** Multi-valued (multi-select custom fields): in = any of, all = every one of. */
  multi?: boolean
  options?: { value: string; label: string }[]
}
export interface Catalogue {
  fields: CatalogueField[]
  eventTypes: { value: string; label: string }[]
}

/** What an operator's value looks like. */
export type ValueShape = 'none' | 'days' | 'pair' | 'many' | 'one'
export function valueShape(op: string): ValueShape {
  if (op === 'empty' || op === 'not_empty') return 'none'
  if (op === 'in_last_days' || op === 'not_in_last_days') return 'days'
  if (op === 'between') return 'pair'
  if (op === 'in' || op === 'not_in' || op === 'all') return 'many'
  return 'one'
}

const filled = (v: unknown) => v !== undefined && v !== null && v !== ''

/**
 * A leaf whose field, operator and value (and the field's required parameters, given its catalogue
 * entry) are all there. The server still has the last word.
 */
export function isLeafComplete(c: Condition, spec?: CatalogueField): boolean {
  if (!c.field || !c.op) return false
  if (spec?.requiredParams?.some((p) => !filled(c.params?.[p]))) return false
  switch (valueShape(c.op)) {
    case 'none':
      return true
    case 'days':
      return typeof c.value === 'number' && c.value > 0
    case 'pair':
      return Array.isArray(c.value) && c.value.length === 2 && c.value.every(filled)
    case 'many':
      return Array.isArray(c.value) && c.value.length > 0
    default:
      return filled(c.value)
  }
}

/** Every leaf complete and no group empty: worth sending to the server. */
export function isTreeComplete(n: ConditionNode, catalogue?: Catalogue): boolean {
  return isGroup(n)
    ? n.conditions.length > 0 && n.conditions.every((c) => isTreeComplete(c, catalogue))
    : isLeafComplete(
        n,
        catalogue?.fields.find((f) => f.field === n.field),
      )
}

/** Leaves in a tree. */
export const countLeaves = (n: ConditionNode): number =>
  isGroup(n) ? n.conditions.reduce((s, c) => s + countLeaves(c), 0) : 1

export const emptyGroup = (match: 'all' | 'any' = 'all'): ConditionGroup => ({ match, conditions: [] })
export const emptyLeaf = (): Condition => ({ field: '', op: 'eq' })

/** Any node as a root group (a lone leaf is wrapped; nothing is an empty group). */
export function asRoot(n: ConditionNode | null | undefined): ConditionGroup {
  if (!n) return emptyGroup()
  return isGroup(n) ? n : { match: 'all', conditions: [n] }
}
