// Listener isolation (Gateway API, GatewayHTTPListenerIsolation): a request that matches a more
// specific listener's hostname must be served only by that listener's routes, 404 otherwise.
// Virtual hosts give this whenever the specific listener has a route for its own hostname. When
// it has none (no routes yet, or only routes for narrower names), the table cannot say "404
// here" and the less specific listener's routes would answer: reported as a warning.
import type { RouteTable } from '../../../edge/src/route-table/types'
import type { GatewayState, ListenerState } from './gateways'
import type { CompiledHTTPRoute } from './httproute'
import { parentAccepted } from './httproute-status'
import { hostnameSpecificity, intersectHostnames, isWithin } from './hostnames'
import type { ObjectRef } from './results'

export interface IsolationGap {
  gateway: ObjectRef
  message: string
}

export function findIsolationGaps(routes: readonly CompiledHTTPRoute[], gateways: ReadonlyMap<string, GatewayState>, table: RouteTable): IsolationGap[] {
  const servedThrough = new Map<ListenerState, Set<string>>()
  for (const route of routes) {
    for (const attachment of route.attachments) {
      if (!parentAccepted(route, attachment)) continue
      for (const { state, hostnames } of attachment.listeners) {
        const set = servedThrough.get(state) ?? new Set()
        for (const h of hostnames) set.add(h)
        servedThrough.set(state, set)
      }
    }
  }
  const gaps: IsolationGap[] = []
  for (const gateway of gateways.values()) {
    const usable = gateway.listeners.filter((l) => l.usable)
    for (const specific of usable) {
      const name = specific.listener.hostname
      if (name === undefined || hasOwnHost(table, name, specific.listener.port)) continue
      // The request goes to the most specific other listener whose routes cover the name.
      const leak = usable
        .filter((general) => general.listener.port === specific.listener.port && isWithin(name, general.listener.hostname))
        .map((general) => ({ general, hostnames: [...(servedThrough.get(general) ?? [])].filter((h) => intersectHostnames(h === '*' ? undefined : h, [name]).includes(name)) }))
        .filter((l) => l.hostnames.length > 0)
        .sort((a, b) => hostnameSpecificity(b.general.listener.hostname) - hostnameSpecificity(a.general.listener.hostname))[0]
      if (!leak) continue
      gaps.push({
        gateway: gateway.known.ref,
        message:
          `listener isolation: listener "${specific.listener.name}" (${name}, port ${specific.listener.port}) serves no route for ${name} itself, ` +
          `so such requests are answered by routes of listener "${leak.general.listener.name}" (${leak.hostnames.join(', ')}) instead of 404; ` +
          `add a route for ${name} to listener "${specific.listener.name}"`,
      })
    }
  }
  return gaps
}

function hasOwnHost(table: RouteTable, hostname: string, port: number): boolean {
  const host = table.hosts.find((h) => h.hostname === hostname)
  return host !== undefined && host.routes.some((r) => r.listenerPorts.length === 0 || r.listenerPorts.includes(port))
}
