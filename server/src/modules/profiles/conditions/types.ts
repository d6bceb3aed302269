import { z } from 'zod'

/**
 * Profile conditions (画像条件): the one language of automatic tag rules and dynamic segments. A tree
 * of groups (all = AND, any = OR) whose leaves test one field of a person, of the person's leads or
 * customers, or an aggregate of their behaviour events, intents and orders.
 *
 * Leaf fields (catalogue in fields.ts):
 *   person.name | person.company | person.kind | person.regionCode | person.firstSeenAt | person.lastSeenAt
 *   tags                        (tag ids: in = any of, all = every one of, not_in = none of, empty, not_empty)
 *   identity                    (identity kinds the person has: in / all / not_in)
 *   lead.<column> | lead.custom.<key>          (any of the person's leads satisfies)
 *   customer.<column> | customer.custom.<key>  (any of the person's customers satisfies)
 *   channel                     (channel ids the person came through: intents and leads)
 *   intents.count               params: days?, channelId?
 *   events.count                params: eventType, days?, property?, propertyValue?
 *   events.first | events.last  params: eventType?  (date operators)
 *   orders.count | orders.amount params: days?  (amount in minor units, 分; cancelled/draft excluded)
 *   orders.last                 (date operators)
 */
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
  /** Window for aggregates: only rows of the last N days count. */
  days?: number
  eventType?: string
  /** Behaviour event property filter: properties[property] = propertyValue. */
  property?: string
  propertyValue?: string
  channelId?: string
}

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

export const isGroup = (n: ConditionNode): n is ConditionGroup =>
  typeof n === 'object' && n !== null && 'conditions' in n

export const MAX_CONDITION_DEPTH = 4
export const MAX_CONDITIONS = 50

/**
 * The wire shape: any JSON object, documented rather than spelled out. A recursive zod schema
 * would give the OpenAPI document dangling $refs, and the validator (validate.ts) names each bad
 * part by its path (`conditions.conditions[1].op`), which zod's generic messages cannot.
 */
export const conditionNodeSchema = z
  .looseObject({})
  .describe(
    'A condition tree: a group {match: "all"|"any", conditions: [...]} or a condition {field, op, value?, params?}. ' +
      'Fields and their operators: GET /api/v1/profile-conditions/fields.',
  )
  .meta({
    example: {
      match: 'all',
      conditions: [
        { field: 'person.regionCode', op: 'eq', value: '31' },
        { field: 'orders.count', op: 'gte', value: 2, params: { days: 90 } },
      ],
    },
  }) as unknown as z.ZodType<ConditionNode>

/** One leaf of an explanation: what the person's actual value is and whether the leaf holds. */
export interface ExplainedCondition {
  /** Path in the tree, e.g. "conditions[1].conditions[0]". */
  path: string
  field: string
  op: ConditionOperator
  value?: unknown
  params?: ConditionParams
  actual: unknown
  holds: boolean
}

export interface Explanation {
  holds: boolean
  conditions: ExplainedCondition[]
}
