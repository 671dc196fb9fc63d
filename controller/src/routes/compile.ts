// Kubernetes objects -> route table + per-object results. Pure: no I/O, no SDK; the same input
// gives the same table (and revision). Used by `edge-ingress routes ...` on manifest files and
// by the controller on its informer caches (objects must carry apiVersion and kind).
import type { RouteTable } from '../../../edge/src/route-table/types'
import { GatewayRegistry } from './backends'
import { compareText, sameObject, type Candidate } from './candidate'
import { settleConflicts, settleFallback, mergeAttachments, type FallbackClaim } from './conflicts'
import { report, type CompileContext } from './context'
import { evaluateGatewayClasses } from './gateway-classes'
import { evaluateGateways, gatewayResult } from './gateways'
import { compileHTTPRoute, type CompiledHTTPRoute } from './httproute'
import { httpRouteResult, parentAccepted } from './httproute-status'
import { compileIngress, type CompiledIngress } from './ingress'
import { ingressClassDecision } from './ingress-class'
import { reportInvalid } from './invalid-objects'
import { findIsolationGaps } from './listener-isolation'
import { shareWithinListeners } from './listener-scope'
import { buildInventory } from './model/inventory'
import { findShadowed } from './shadowing'
import { assembleTable } from './table'
import type { CompileResult, Conflict, IngressResult, ObjectRef } from './results'

export interface CompileOptions {
  /** Recorded in every gateway and route source; the edge merges tables of several clusters. */
  clusterName: string
}

export async function compileRoutes(objects: readonly unknown[], options: CompileOptions): Promise<CompileResult> {
  const inventory = buildInventory(objects)
  const ctx: CompileContext = { inventory, registry: new GatewayRegistry(options.clusterName), diagnostics: [...inventory.diagnostics] }
  const classes = evaluateGatewayClasses(inventory.gatewayClasses)
  const gateways = evaluateGateways(inventory.gateways, classes)

  const ingresses: CompiledIngress[] = []
  for (const known of inventory.ingresses) {
    const decision = ingressClassDecision(known.value.metadata.annotations, known.value.spec.ingressClassName, inventory.ingressClasses)
    if (decision.ours) ingresses.push(compileIngress(ctx, known))
    else report(ctx, 'info', known.ref, null, `not of class edge-ingress (${decision.reason}); ignored`)
  }
  const routes: CompiledHTTPRoute[] = []
  for (const known of inventory.httpRoutes) {
    const compiled = compileHTTPRoute(ctx, known, gateways)
    if (compiled) routes.push(compiled)
  }
  const invalid = reportInvalid(ctx, inventory.invalid, classes, gateways)

  const candidates: Candidate[] = mergeAttachments(shareWithinListeners([...ingresses.flatMap((i) => i.candidates), ...routes.flatMap((r) => r.candidates)]))
  const settled = settleConflicts(candidates)
  const claims: FallbackClaim[] = ingresses.flatMap((i) => (i.fallback ? [{ owner: i.owner, action: i.fallback }] : []))
  const fallback = settleFallback(claims)
  const conflicts = [...settled.conflicts, ...fallback.conflicts]
  for (const c of conflicts) report(ctx, 'error', c.loser.object, null, c.message)
  for (const { candidate, message } of settled.copiesLeftOut) report(ctx, 'info', candidate.owner.ref, null, message)

  const table: RouteTable = await assembleTable(settled.kept, fallback.winner?.action ?? null, ctx.registry.gateways, options.clusterName)
  for (const shadowed of findShadowed(table)) report(ctx, 'warning', shadowed.object, null, shadowed.message)
  for (const gap of findIsolationGaps(routes, gateways, table)) report(ctx, 'warning', gap.gateway, 'spec.listeners', gap.message)

  for (const route of routes) {
    for (const attachment of route.attachments) {
      if (!parentAccepted(route, attachment)) continue
      for (const { state } of attachment.listeners) state.attachedRoutes++
    }
  }
  const lostBy = (ref: ObjectRef) => conflicts.filter((c) => sameObject(c.loser.object, ref))
  const keptBy = (ref: ObjectRef) => settled.kept.some((c) => sameObject(c.owner.ref, ref)) || (fallback.winner !== null && sameObject(fallback.winner.owner.ref, ref))
  const byRef = (a: { object: ObjectRef }, b: { object: ObjectRef }) =>
    compareText(`${a.object.namespace}/${a.object.name}`, `${b.object.namespace}/${b.object.name}`)

  return {
    table,
    ingresses: [...ingresses.map((i) => ingressResult(i, lostBy(i.owner.ref), keptBy(i.owner.ref))), ...invalid.ingresses].sort(byRef),
    httpRoutes: [...routes.map((r) => httpRouteResult(r, lostBy(r.owner.ref))), ...invalid.httpRoutes].sort(byRef),
    gateways: [...[...gateways.values()].map(gatewayResult), ...invalid.gateways].sort(byRef),
    gatewayClasses: [...classes.values()].map((c) => c.result).sort(byRef),
    conflicts,
    diagnostics: ctx.diagnostics,
  }
}

function ingressResult(compiled: CompiledIngress, conflicts: Conflict[], inTable: boolean): IngressResult {
  const served = compiled.candidates.length + (compiled.fallback ? 1 : 0)
  const problems = compiled.backendProblems.length
  let message: string
  if (served === 0) message = 'no rule with http paths and no defaultBackend: nothing to serve'
  else if (!inTable) message = 'every path lost to an older object; nothing served'
  else message = `served by edge-ingress${conflicts.length ? `; ${conflicts.length} path(s) lost to older objects` : ''}${problems ? `; ${problems} backend(s) answer 500` : ''}`
  return { object: compiled.owner.ref, generation: compiled.generation, accepted: inTable, message, conflicts, backendProblems: compiled.backendProblems }
}
