import { useQuery } from '@tanstack/react-query'
import { api, call } from '../../api/client.js'

/** The shapes of the lead-pool configuration API (/work/pools-contract.md), as the pages use them. */
export interface LeadCondition {
  field: string
  op: string
  value?: unknown
}

export type PoolKind = 'master' | 'sub' | 'public'

export interface ReclaimRules {
  enabled: boolean
  noFollowUpDays?: number | null
  notConvertedDays?: number | null
  noFollowUpDaysByGrade?: Record<string, number>
  skipWithOpenOpportunities?: boolean
  remindDaysBefore?: number | null
}

export interface PublicPoolSettings {
  dailyClaimLimit?: number | null
  userHoldingCap?: number | null
  unitHoldingCap?: number | null
  reclaimLockDays?: number
  protectionHours?: number
  hiddenFields?: string[]
  reclaim?: ReclaimRules
}

export interface Pool {
  id: string
  name: string
  kind: PoolKind
  parentId: string | null
  description: string | null
  unitId: string
  orgId: string
  criteria: LeadCondition[]
  settings: PublicPoolSettings
  memberUnitIds: string[]
  reclaimPoolId: string | null
  sort: number
  enabled: boolean
  leadCount: number
  myRole?: string | null
  version: number
}
export interface PoolMember {
  userId: string
  name?: string
  role: 'admin' | 'member'
}

export interface AssignmentMember {
  userId: string
  weight?: number
  capacity?: number | null
}
export interface DistributionRule {
  id: string
  name: string
  sort: number
  enabled: boolean
  sourcePoolId: string | null
  conditions: LeadCondition[]
  targetPoolId: string | null
  targetUnitId: string | null
  version: number
}
export interface AssignmentRule {
  id: string
  name: string
  poolId: string | null
  sort: number
  enabled: boolean
  strategy: 'round_robin' | 'weighted' | 'least_loaded'
  conditions: LeadCondition[]
  members: AssignmentMember[]
  respectSchedule: boolean
  version: number
}

export interface LeadSettings {
  closeReasons: { key: string; label: string; status: 'closed' | 'invalid' }[]
  releaseReasons: string[]
  firstContactSlaHours: number
  defaultPublicPoolId: string | null
  autoAssign: boolean
  autoDistribute: boolean
  version: number
}

export interface SalesScript {
  id: string
  title: string
  body: string
  statuses: string[]
  tags: string[]
  sort: number
  version: number
}

export interface Leave {
  id: string
  userId: string
  startsAt: string
  endsAt: string
  reason: string | null
}

export interface HandoverCounts {
  lead?: number
  followUpReminder?: number
  poolMembership?: number
  assignmentRule?: number
  [kind: string]: number | undefined
}
export interface Handover {
  id: string
  fromUserId: string
  fromUserName: string | null
  toUserId: string
  toUserName: string | null
  reason: string
  counts: HandoverCounts
  createdBy: string | null
  createdByName: string | null
  createdAt: string
}

export const usePools = (enabled = true) =>
  useQuery({
    queryKey: ['lead-pools'],
    queryFn: async () => (await call(api.GET('/api/v1/lead-pools'))).items as Pool[],
    enabled,
  })

export const useLeadSettings = () =>
  useQuery({
    queryKey: ['lead-settings'],
    queryFn: async () => (await call(api.GET('/api/v1/lead-settings'))) as LeadSettings,
  })

/** Pools as TreeSelect options: master → sub-pools (nested by parent); public pools at the root. */
export function poolTree(pools: Pool[], filter: (p: Pool) => boolean = () => true) {
  type Node = { value: string; key: string; title: string; kind: PoolKind; children: Node[] }
  const list = pools.filter(filter)
  const byId = new Map<string, Node>(
    list.map((p) => [p.id, { value: p.id, key: p.id, title: p.name, kind: p.kind, children: [] }]),
  )
  const roots: Node[] = []
  const order = (a: Pool, b: Pool) =>
    (a.kind === 'master' ? -1 : 0) - (b.kind === 'master' ? -1 : 0) ||
    (a.kind === 'public' ? 1 : 0) - (b.kind === 'public' ? 1 : 0) ||
    a.sort - b.sort ||
    a.name.localeCompare(b.name)
  for (const p of [...list].sort(order)) {
    const n = byId.get(p.id) as Node
    const parent = p.parentId && p.kind !== 'public' ? byId.get(p.parentId) : undefined
    if (parent) parent.children.push(n)
    else roots.push(n)
  }
  return roots
}

export const LEAD_STATUSES = [
  'new',
  'assigned',
  'following',
  'qualified',
  'converted',
  'closed',
  'invalid',
] as const
export const GRADES = ['A', 'B', 'C', 'D'] as const

/** Drops empty optional numbers so "unlimited" is sent as null and blanks don't become 0. */
export const nullable = (v: unknown) => (v === undefined || v === '' ? null : v)
