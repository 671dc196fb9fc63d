// Shadowed routes: a route that can never match because another route of the same virtual host
// has an identical match on (at least) the same ports and comes first in precedence. By the
// precedence rules (path, method, header and query counts first) any route that covers all the
// requests of another and still wins must have an identical match, so that is what is checked.
import type { Route, RouteTable } from '../../../edge/src/route-table/types'
import { coversPorts } from './conflicts'
import { describeMatch, hostKey, matchKey } from './match-key'
import { comparePrecedence } from './precedence'
import type { ObjectRef } from './results'

export interface Shadowed {
  object: ObjectRef
  routeId: string
  shadowedBy: string
  message: string
}


export function findShadowed(table: RouteTable): Shadowed[] {
  const out: Shadowed[] = []
  for (const host of table.hosts) {
    const groups = new Map<string, Route[]>()
    for (const route of host.routes) {
      const key = `${hostKey(host.hostname, route.wildcard)}|${matchKey(route.match)}`
      groups.set(key, [...(groups.get(key) ?? []), route])
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue
      group.sort(comparePrecedence)
      group.forEach((route, i) => {
        const winner = group.slice(0, i).find((w) => coversPorts(w.listenerPorts, route.listenerPorts))
        if (!winner) return
        out.push({
          object: { kind: route.source.kind, namespace: route.source.namespace, name: route.source.name },
          routeId: route.id,
          shadowedBy: winner.id,
          message: `route ${route.id} (${host.hostname}, ${describeMatch(route.match)}) can never match: ${winner.id} has the same match and comes first`,
        })
      })
    }
  }
  return out
}
