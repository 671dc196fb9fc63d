// Gateways of one of our accepted GatewayClasses: which listeners can take HTTPRoutes, and
// their status. The edge is the data plane of every such Gateway; listener ports are the ports
// clients address at the edge. HTTP and HTTPS listeners are supported (TLS terminates in front
// of or at the edge, so certificateRefs are not read); other protocols are refused.
import { condition } from './conditions'
import { GATEWAY_GROUP } from './constants'
import type { ClassState } from './gateway-classes'
import type { Gateway, Listener } from './model/gateway'
import type { Known } from './model/inventory'
import type { Condition, GatewayResult, ListenerResult, RouteGroupKind } from './results'

export interface ListenerState {
  gateway: GatewayState
  listener: Listener
  /** Accepted: routes may attach. */
  usable: boolean
  supportedKinds: RouteGroupKind[]
  attachedRoutes: number
  conditions: Condition[]
}

export interface GatewayState {
  known: Known<Gateway>
  /** False when the class or the Gateway itself is refused: nothing attaches. */
  accepted: boolean
  reason: string
  message: string
  listeners: ListenerState[]
}

const SUPPORTED_PROTOCOLS = new Set(['HTTP', 'HTTPS'])
const HTTP_ROUTE: RouteGroupKind = { group: GATEWAY_GROUP, kind: 'HTTPRoute' }

export function evaluateGateways(gateways: ReadonlyMap<string, Known<Gateway>>, classes: ReadonlyMap<string, ClassState>): Map<string, GatewayState> {
  const states = new Map<string, GatewayState>()
  for (const [key, known] of gateways) {
    const cls = classes.get(known.value.spec.gatewayClassName)
    if (!cls) continue // not ours
    const state: GatewayState = { known, accepted: true, reason: 'Accepted', message: 'accepted by edge-ingress', listeners: [] }
    if (!cls.accepted) {
      Object.assign(state, { accepted: false, reason: 'Invalid', message: `GatewayClass "${known.value.spec.gatewayClassName}" is not accepted: ${cls.message}` })
    } else if ((known.value.spec.addresses ?? []).length > 0) {
      Object.assign(state, {
        accepted: false,
        reason: 'UnsupportedAddress',
        message: 'spec.addresses is not supported: the edge has one public entry, configured on the controller',
      })
    }
    state.listeners = evaluateListeners(state)
    if (state.accepted && !state.listeners.some((l) => l.usable)) {
      Object.assign(state, { accepted: false, reason: 'ListenersNotValid', message: 'no listener is valid' })
    }
    states.set(key, state)
  }
  return states
}

function evaluateListeners(gateway: GatewayState): ListenerState[] {
  const listeners = gateway.known.value.spec.listeners
  const protocolsByPort = new Map<number, Set<string>>()
  const hostnameCount = new Map<string, number>()
  for (const l of listeners) {
    const protocols = protocolsByPort.get(l.port) ?? new Set()
    protocols.add(l.protocol.toUpperCase())
    protocolsByPort.set(l.port, protocols)
    const key = `${l.port}/${l.protocol.toUpperCase()}/${l.hostname ?? ''}`
    hostnameCount.set(key, (hostnameCount.get(key) ?? 0) + 1)
  }
  const generation = gateway.known.generation
  return listeners.map((listener) => {
    const protocol = listener.protocol.toUpperCase()
    const kinds = listener.allowedRoutes.kinds
    const httpRoutes = kinds === undefined ? [HTTP_ROUTE] : kinds.filter((k) => k.group === GATEWAY_GROUP && k.kind === 'HTTPRoute').map(() => HTTP_ROUTE)
    const supportedKinds = SUPPORTED_PROTOCOLS.has(protocol) ? httpRoutes.slice(0, 1) : []
    const invalidKinds = kinds !== undefined && httpRoutes.length < kinds.length
    let problem: { reason: string; message: string } | null = null
    let conflict: { reason: string; message: string } | null = null
    if (!SUPPORTED_PROTOCOLS.has(protocol)) {
      problem = { reason: 'UnsupportedProtocol', message: `protocol ${listener.protocol} is not supported (HTTP and HTTPS are)` }
    } else if (protocol === 'HTTPS' && listener.tls?.mode !== undefined && listener.tls.mode !== 'Terminate') {
      problem = { reason: 'UnsupportedValue', message: `tls.mode ${String(listener.tls.mode)} is not supported for HTTPS (Terminate is)` }
    }
    if (protocolsByPort.get(listener.port)!.size > 1) {
      conflict = { reason: 'ProtocolConflict', message: `port ${listener.port} is used with more than one protocol` }
    } else if (hostnameCount.get(`${listener.port}/${protocol}/${listener.hostname ?? ''}`)! > 1) {
      conflict = { reason: 'HostnameConflict', message: `another listener has the same port, protocol and hostname` }
    }
    const usable = gateway.accepted && problem === null && conflict === null && supportedKinds.length > 0
    const acceptedReason = problem ?? (conflict ? { reason: conflict.reason, message: conflict.message } : null)
    const conditions: Condition[] = [
      condition('Accepted', acceptedReason === null, acceptedReason?.reason ?? 'Accepted', acceptedReason?.message ?? 'listener accepted', generation),
      condition('Programmed', usable, usable ? 'Programmed' : 'Invalid', usable ? 'served by the edge' : (acceptedReason?.message ?? gateway.message), generation),
      condition(
        'ResolvedRefs',
        !invalidKinds,
        invalidKinds ? 'InvalidRouteKinds' : 'ResolvedRefs',
        invalidKinds ? 'only HTTPRoute (gateway.networking.k8s.io) is supported' : 'all references resolved',
        generation,
      ),
      condition('Conflicted', conflict !== null, conflict?.reason ?? 'NoConflicts', conflict?.message ?? 'no conflicts', generation),
    ]
    return { gateway, listener, usable, supportedKinds, attachedRoutes: 0, conditions }
  })
}

export function gatewayResult(state: GatewayState): GatewayResult {
  const generation = state.known.generation
  const invalid = state.listeners.filter((l) => !l.usable).map((l) => l.listener.name)
  const reason = state.accepted && invalid.length > 0 ? 'ListenersNotValid' : state.reason
  const message = state.accepted && invalid.length > 0 ? `listeners not valid: ${invalid.join(', ')}` : state.message
  const listeners: ListenerResult[] = state.listeners.map((l) => ({
    name: l.listener.name,
    supportedKinds: l.supportedKinds,
    attachedRoutes: l.attachedRoutes,
    conditions: l.conditions,
  }))
  return {
    object: state.known.ref,
    generation,
    conditions: [
      condition('Accepted', state.accepted, reason, message, generation),
      condition('Programmed', state.accepted, state.accepted ? 'Programmed' : 'Invalid', state.accepted ? 'served by the edge' : message, generation),
    ],
    listeners,
  }
}
