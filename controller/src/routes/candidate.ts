// A route on its way into the table: where it goes (virtual host, ports) and who claimed it,
// before conflicts between objects are settled.
import type { RouteAction, RouteMatch } from '../../../edge/src/route-table/types'
import type { ObjectRef } from './results'

export interface Owner {
  ref: ObjectRef
  createdAt: string
}

export interface Candidate {
  hostname: string
  /**
   * The hostname the object itself named (through its listener), before the route was copied
   * into a more specific virtual host of the same listener (listener-scope.ts).
   */
  origin: string
  /** The Gateway listener the route came through (`namespace/gateway/listener`); null for Ingress. */
  scope: string | null
  wildcard: 'suffix' | 'single-label'
  /** Sorted; [] means every port. */
  listenerPorts: number[]
  owner: Owner
  rule: number
  match: number
  /** HTTPRoute parentRef indexes this candidate came through ([] for Ingress). */
  parents: number[]
  routeMatch: RouteMatch
  action: RouteAction
}

/** Deterministic "oldest wins" order: creationTimestamp, then namespace/name, then kind. */
export function compareOwners(a: Owner, b: Owner): number {
  return (
    compareText(a.createdAt, b.createdAt) ||
    compareText(`${a.ref.namespace}/${a.ref.name}`, `${b.ref.namespace}/${b.ref.name}`) ||
    compareText(a.ref.kind, b.ref.kind)
  )
}

export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export const sameObject = (a: ObjectRef, b: ObjectRef): boolean => a.kind === b.kind && a.namespace === b.namespace && a.name === b.name
