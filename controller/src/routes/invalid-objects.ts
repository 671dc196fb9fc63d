// Objects that failed validation: an error when they are ours (with the status their kind
// gets), a note when they belong to another controller, a warning for the kinds we only read.
import { z } from 'zod'
import { attachParent } from './attach'
import type { ClassState } from './gateway-classes'
import { condition } from './conditions'
import { GATEWAY_CONTROLLER, INGRESS_CONTROLLER } from './constants'
import { report, type CompileContext } from './context'
import type { GatewayState } from './gateways'
import { ingressClassDecision } from './ingress-class'
import { parentRef } from './model/httproute'
import type { Invalid } from './model/inventory'
import type { GatewayResult, HTTPRouteResult, IngressResult } from './results'

export interface InvalidResults {
  ingresses: IngressResult[]
  httpRoutes: HTTPRouteResult[]
  gateways: GatewayResult[]
}

const record = z.record(z.string(), z.unknown())
const asRecord = (value: unknown): Record<string, unknown> => (record.safeParse(value).data ?? {}) as Record<string, unknown>
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
const generationOf = (raw: Record<string, unknown>): number => {
  const g = asRecord(raw.metadata).generation
  return typeof g === 'number' && Number.isInteger(g) ? g : 0
}

export function reportInvalid(
  ctx: CompileContext,
  invalid: readonly Invalid[],
  classes: ReadonlyMap<string, ClassState>,
  gateways: ReadonlyMap<string, GatewayState>,
): InvalidResults {
  const out: InvalidResults = { ingresses: [], httpRoutes: [], gateways: [] }
  for (const item of invalid) {
    const { ref, raw, message } = item
    const spec = asRecord(raw.spec)
    const generation = generationOf(raw)
    const ours = (yes: boolean) => report(ctx, yes ? 'error' : 'info', ref, null, yes ? `invalid ${ref.kind}: ${message}` : `invalid ${ref.kind} of another controller (${message}); ignored`)
    switch (ref.kind) {
      case 'Ingress': {
        const annotations = z.record(z.string(), z.string()).safeParse(asRecord(raw.metadata).annotations).data
        const decision = ingressClassDecision(annotations, asString(spec.ingressClassName), ctx.inventory.ingressClasses)
        ours(decision.ours)
        if (decision.ours) out.ingresses.push({ object: ref, generation, accepted: false, message: `invalid: ${message}`, conflicts: [], backendProblems: [] })
        break
      }
      case 'HTTPRoute': {
        const parents = z.array(parentRef).safeParse(spec.parentRefs ?? []).data ?? []
        const attached = parents
          .map((p, i) => attachParent({ namespace: ref.namespace, hostnames: [] }, p, i, gateways, ctx.inventory.namespaces))
          .filter((a) => a !== null)
        ours(attached.length > 0)
        if (attached.length > 0) {
          out.httpRoutes.push({
            object: ref,
            generation,
            parents: attached.map((a) => ({
              parentRef: a.parentRef,
              controllerName: GATEWAY_CONTROLLER,
              conditions: [condition('Accepted', false, 'UnsupportedValue', `invalid HTTPRoute: ${message}`, generation)],
            })),
            conflicts: [],
            backendProblems: [],
          })
        }
        break
      }
      case 'Gateway': {
        const isOurs = classes.has(asString(spec.gatewayClassName) ?? '')
        ours(isOurs)
        if (isOurs) {
          out.gateways.push({
            object: ref,
            generation,
            conditions: [
              condition('Accepted', false, 'Invalid', `invalid Gateway: ${message}`, generation),
              condition('Programmed', false, 'Invalid', `invalid Gateway: ${message}`, generation),
            ],
            listeners: [],
          })
        }
        break
      }
      case 'GatewayClass':
        ours(asString(spec.controllerName) === GATEWAY_CONTROLLER)
        break
      case 'IngressClass':
        ours(asString(spec.controller) === INGRESS_CONTROLLER)
        break
      default:
        report(ctx, 'warning', ref, null, `invalid ${ref.kind}, not used: ${message}`)
    }
  }
  return out
}
