// HTTPRoute parentRefs -> the listeners of our Gateways that accept the route, with the
// Accepted condition the spec asks for when none does: NoMatchingParent (sectionName/port
// select no listener), NotAllowedByListeners (allowedRoutes kinds or namespaces refuse it),
// NoMatchingListenerHostname (no hostname intersection).
import { GATEWAY_GROUP } from './constants'
import type { GatewayState, ListenerState } from './gateways'
import { intersectHostnames } from './hostnames'
import { selectorMatches } from './label-selector'
import type { Namespace } from './model/core'
import type { ParentRefSpec } from './model/httproute'
import type { Known } from './model/inventory'
import type { ParentRefKey } from './results'

export interface AttachedListener {
  state: ListenerState
  /** Hostnames the route serves through this listener (`*`: any host). */
  hostnames: string[]
}

export interface Attachment {
  parentIndex: number
  parentRef: ParentRefKey
  gateway: GatewayState
  listeners: AttachedListener[]
  accepted: { ok: boolean; reason: string; message: string }
}

export interface RouteIdentity {
  namespace: string
  hostnames: readonly string[]
}

/** Null when the parentRef does not name a Gateway of ours: its status belongs to someone else. */
export function attachParent(
  route: RouteIdentity,
  parentRef: ParentRefSpec,
  parentIndex: number,
  gateways: ReadonlyMap<string, GatewayState>,
  namespaces: ReadonlyMap<string, Known<Namespace>>,
): Attachment | null {
  if (parentRef.group !== GATEWAY_GROUP || parentRef.kind !== 'Gateway') return null
  const namespace = parentRef.namespace ?? route.namespace
  const gateway = gateways.get(`${namespace}/${parentRef.name}`)
  if (!gateway) return null
  const key: ParentRefKey = {
    group: parentRef.group,
    kind: parentRef.kind,
    namespace,
    name: parentRef.name,
    sectionName: parentRef.sectionName ?? null,
    port: parentRef.port ?? null,
  }
  const refused = (reason: string, message: string): Attachment => ({ parentIndex, parentRef: key, gateway, listeners: [], accepted: { ok: false, reason, message } })
  const gatewayName = `Gateway ${namespace}/${parentRef.name}`
  if (!gateway.accepted) return refused('NoMatchingParent', `${gatewayName} is not accepted: ${gateway.message}`)

  const selected = gateway.listeners.filter(
    (l) => (key.sectionName === null || l.listener.name === key.sectionName) && (key.port === null || l.listener.port === key.port),
  )
  if (selected.length === 0) return refused('NoMatchingParent', `${gatewayName} has no listener ${describeSelection(key)}`)

  const allowed = selected.filter((l) => l.usable && l.supportedKinds.length > 0 && namespaceAllowed(l, route.namespace, gateway.known.ref.namespace, namespaces))
  if (allowed.length === 0) {
    const why = selected.map((l) => `${l.listener.name}: ${refusal(l, route.namespace, gateway.known.ref.namespace, namespaces)}`).join('; ')
    return refused('NotAllowedByListeners', `no listener of ${gatewayName} allows this route (${why})`)
  }

  const listeners: AttachedListener[] = []
  for (const state of allowed) {
    const hostnames = intersectHostnames(state.listener.hostname, route.hostnames)
    if (hostnames.length > 0) listeners.push({ state, hostnames })
  }
  if (listeners.length === 0) {
    const names = allowed.map((l) => l.listener.hostname ?? '(any)').join(', ')
    return refused('NoMatchingListenerHostname', `none of the route's hostnames matches the listener hostnames of ${gatewayName} (${names})`)
  }
  return { parentIndex, parentRef: key, gateway, listeners, accepted: { ok: true, reason: 'Accepted', message: `attached to ${gatewayName}` } }
}

function describeSelection(key: ParentRefKey): string {
  const parts = [key.sectionName !== null ? `named "${key.sectionName}"` : '', key.port !== null ? `on port ${key.port}` : ''].filter(Boolean)
  return parts.join(' ') || '(it has none)'
}

function namespaceAllowed(state: ListenerState, routeNamespace: string, gatewayNamespace: string, namespaces: ReadonlyMap<string, Known<Namespace>>): boolean {
  const { from, selector } = state.listener.allowedRoutes.namespaces
  switch (from) {
    case 'All': return true
    case 'Same': return routeNamespace === gatewayNamespace
    case 'None': return false
    case 'Selector': {
      if (!selector) return false
      // The apiserver labels every Namespace with its own name (kubernetes.io/metadata.name).
      const labels = { 'kubernetes.io/metadata.name': routeNamespace, ...namespaces.get(routeNamespace)?.value.metadata.labels }
      return selectorMatches(selector, labels)
    }
  }
}

function refusal(state: ListenerState, routeNamespace: string, gatewayNamespace: string, namespaces: ReadonlyMap<string, Known<Namespace>>): string {
  if (!state.usable) return 'listener is not valid'
  if (state.supportedKinds.length === 0) return 'allowedRoutes.kinds does not include HTTPRoute'
  if (!namespaceAllowed(state, routeNamespace, gatewayNamespace, namespaces)) {
    return `allowedRoutes.namespaces (from: ${state.listener.allowedRoutes.namespaces.from}) does not include namespace ${routeNamespace}`
  }
  return 'allowed'
}
