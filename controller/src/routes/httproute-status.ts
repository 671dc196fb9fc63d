// The status of one HTTPRoute per parent (RouteParentStatus): Accepted, ResolvedRefs,
// PartiallyInvalid when some rules were dropped (message starting "Dropped Rule", as the spec
// asks), and our Conflicted when a match lost to an older object.
import type { Attachment } from './attach'
import { condition } from './conditions'
import { GATEWAY_CONTROLLER } from './constants'
import type { CompiledHTTPRoute } from './httproute'
import type { BackendProblem, Condition, Conflict, HTTPRouteResult, RouteParentResult } from './results'

const REASON_ORDER: BackendProblem['reason'][] = ['RefNotPermitted', 'InvalidKind', 'PolicyNotFound', 'InvalidPolicy', 'BackendNotFound', 'UnsupportedValue', 'BackendNotReady']

/** Whether the route counts as Accepted for this parent (also for the listener's attachedRoutes). */
export function parentAccepted(route: CompiledHTTPRoute, attachment: Attachment): boolean {
  return attachment.accepted.ok && (route.rules.rules.length > 0 || route.rules.dropped.length === 0)
}

export function httpRouteResult(route: CompiledHTTPRoute, conflicts: readonly Conflict[]): HTTPRouteResult {
  const generation = route.generation
  const parents: RouteParentResult[] = route.attachments.map((attachment) => ({
    parentRef: attachment.parentRef,
    controllerName: GATEWAY_CONTROLLER,
    conditions: parentConditions(route, attachment, conflicts, generation),
  }))
  return { object: route.owner.ref, generation, parents, conflicts: [...conflicts], backendProblems: route.problems }
}

function parentConditions(route: CompiledHTTPRoute, attachment: Attachment, conflicts: readonly Conflict[], generation: number): Condition[] {
  const { dropped } = route.rules
  const droppedReason = dropped.every((d) => d.reason === 'IncompatibleFilters') ? 'IncompatibleFilters' : 'UnsupportedValue'
  const droppedText = dropped.map((d) => `${d.field}: ${d.message}`).join('; ')
  const accepted = parentAccepted(route, attachment)
  const conditions: Condition[] = []
  if (!attachment.accepted.ok) conditions.push(condition('Accepted', false, attachment.accepted.reason, attachment.accepted.message, generation))
  else if (!accepted) conditions.push(condition('Accepted', false, droppedReason, `no rule can be served: ${droppedText}`, generation))
  else conditions.push(condition('Accepted', true, 'Accepted', attachment.accepted.message, generation))

  const problems = route.problems
  if (problems.length === 0) {
    conditions.push(condition('ResolvedRefs', true, 'ResolvedRefs', 'all references resolved', generation))
  } else {
    const reason = REASON_ORDER.find((r) => problems.some((p) => p.reason === r))!
    conditions.push(condition('ResolvedRefs', false, reason, problems.map((p) => `${p.field}: ${p.message}`).join('; '), generation))
  }
  if (accepted && dropped.length > 0) {
    const rules = [...new Set(dropped.map((d) => /rules\[(\d+)\]/.exec(d.field)?.[1] ?? '?'))].join(', ')
    conditions.push(condition('PartiallyInvalid', true, droppedReason, `Dropped Rule ${rules}: ${droppedText}`, generation))
  }
  if (accepted && conflicts.length > 0) {
    conditions.push(condition('Conflicted', true, 'RouteConflict', conflicts.map((c) => c.message).join('; '), generation))
  }
  return conditions
}
