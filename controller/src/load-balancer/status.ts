// The Service status the controller writes: status.loadBalancer.ingress (hostname and
// ports) and the LoadBalancerReady condition. Pure; the reconciler patches only when the
// result differs from what the Service already shows.
import type { ServiceStatusPatch } from '../ports/kubernetes'
import type { Condition, LoadBalancerIngress, ServiceObject } from '../ports/kubernetes-objects'
import type { DesiredListener } from './model'

export const CONDITION_TYPE = 'LoadBalancerReady'

export interface ReadyState {
  status: 'True' | 'False'
  reason: string
  message: string
}

export function ingressFor(hostname: string, listeners: DesiredListener[]): LoadBalancerIngress[] {
  return [{ hostname, ports: listeners.flatMap((l) => l.portStatus) }]
}

/** Our condition set to `state`; lastTransitionTime moves only when the status flips. */
export function withCondition(conditions: Condition[] | undefined, state: ReadyState, nowIso: string, generation?: number): Condition[] {
  const others = (conditions ?? []).filter((c) => c.type !== CONDITION_TYPE)
  const previous = (conditions ?? []).find((c) => c.type === CONDITION_TYPE)
  const lastTransitionTime = previous && previous.status === state.status ? previous.lastTransitionTime : nowIso
  const condition: Condition = { type: CONDITION_TYPE, ...state, lastTransitionTime, ...(generation === undefined ? {} : { observedGeneration: generation }) }
  return [...others, condition]
}

export const withoutCondition = (conditions: Condition[] | undefined) => (conditions ?? []).filter((c) => c.type !== CONDITION_TYPE)

/** The patch to write, or null when the Service already shows exactly this. */
export function statusPatch(service: ServiceObject, ingress: LoadBalancerIngress[], conditions: Condition[]): ServiceStatusPatch | null {
  const current = { ingress: service.status?.loadBalancer?.ingress ?? [], conditions: service.status?.conditions ?? [] }
  const same = canonical(current.ingress) === canonical(ingress) && canonical(current.conditions) === canonical(conditions)
  return same ? null : { loadBalancer: { ingress }, conditions }
}

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  )
