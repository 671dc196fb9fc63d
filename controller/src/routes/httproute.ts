// One HTTPRoute -> its attachments to our Gateways, its compiled rules, and the table
// candidates: every rule match on every hostname it serves through each attached listener.
// The route's status per parent is built after conflicts are settled (httproute-status.ts).
import type { Attachment } from './attach'
import { attachParent } from './attach'
import type { Candidate, Owner } from './candidate'
import { report, type CompileContext } from './context'
import type { GatewayState } from './gateways'
import { compileRules, type CompiledRules } from './httproute-rules'
import type { HTTPRoute } from './model/httproute'
import type { Known } from './model/inventory'
import { POLICY_FIELD } from './policy/annotation'
import { objectPolicies } from './policy/route-policies'
import type { BackendProblem } from './results'

export interface CompiledHTTPRoute {
  owner: Owner
  generation: number
  attachments: Attachment[]
  rules: CompiledRules
  problems: BackendProblem[]
  candidates: Candidate[]
}

/** Null when no parentRef names a Gateway of ours. */
export function compileHTTPRoute(ctx: CompileContext, known: Known<HTTPRoute>, gateways: ReadonlyMap<string, GatewayState>): CompiledHTTPRoute | null {
  const { spec } = known.value
  const identity = { namespace: known.ref.namespace, hostnames: spec.hostnames }
  const attachments: Attachment[] = []
  spec.parentRefs.forEach((parentRef, index) => {
    const attachment = attachParent(identity, parentRef, index, gateways, ctx.inventory.namespaces)
    if (attachment) attachments.push(attachment)
  })
  if (attachments.length === 0) {
    const names = spec.parentRefs.map((p) => `${p.kind} ${p.namespace ?? known.ref.namespace}/${p.name}`).join(', ') || 'none'
    report(ctx, 'info', known.ref, 'spec.parentRefs', `not attached to any Gateway of class edge-ingress (parentRefs: ${names}); ignored`)
    return null
  }
  const owner: Owner = { ref: known.ref, createdAt: known.createdAt }
  const problems: BackendProblem[] = []
  const policies = objectPolicies(ctx.inventory, known.ref, known.value.metadata.annotations)
  if (!policies.ok) problems.push({ field: POLICY_FIELD, reason: policies.problem.reason, message: `${policies.problem.message}; every rule answers 500` })
  const rules = compileRules({ ctx, namespace: known.ref.namespace, problems }, spec.rules, { object: known.ref, settings: policies.ok ? policies.value : null })
  for (const dropped of rules.dropped) report(ctx, 'error', known.ref, dropped.field, `${dropped.message}; rule dropped (${dropped.reason})`)
  for (const problem of problems) report(ctx, problem.reason === 'BackendNotReady' ? 'warning' : 'error', known.ref, problem.field, problem.message)
  for (const attachment of attachments) {
    if (!attachment.accepted.ok) report(ctx, 'error', known.ref, `spec.parentRefs[${attachment.parentIndex}]`, `${attachment.accepted.reason}: ${attachment.accepted.message}`)
  }
  const candidates: Candidate[] = []
  for (const attachment of attachments) {
    if (!attachment.accepted.ok) continue
    for (const { state, hostnames } of attachment.listeners) {
      for (const hostname of hostnames) {
        for (const rule of rules.rules) {
          rule.matches.forEach((routeMatch, match) => {
            candidates.push({
              hostname,
              origin: hostname,
              scope: `${attachment.gateway.known.ref.namespace}/${attachment.gateway.known.ref.name}/${state.listener.name}`,
              wildcard: 'suffix',
              listenerPorts: [state.listener.port],
              owner,
              rule: rule.index,
              match,
              parents: [attachment.parentIndex],
              routeMatch,
              action: rule.action,
            })
          })
        }
      }
    }
  }
  return { owner, generation: known.generation, attachments, rules, problems, candidates }
}
