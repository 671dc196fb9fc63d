// The virtual hosts that exist on one listener port, by name: exact names in a Map, wildcards
// by their suffix, and the `*` host. A route set per (host, wildcard kind) keeps Ingress
// (one extra label) and Gateway API (any number of labels) wildcards apart.
import type { CompiledRoute } from './compiled-route'
import { RouteSet } from './route-set'
import type { VirtualHost } from './types'

export interface HostEntry {
  vhost: VirtualHost
  /** For exact names and `*`: every route. For wildcards: the 'suffix' routes. */
  routes: RouteSet
  /** For wildcards only: the 'single-label' (Ingress) routes. */
  singleLabel: RouteSet
}

export class HostIndex {
  readonly exact = new Map<string, HostEntry>()
  /** Key: the wildcard's suffix without `*.`, e.g. `example.com` for `*.example.com`. */
  readonly wildcard = new Map<string, HostEntry>()
  any: HostEntry | null = null

  add(route: CompiledRoute): void {
    const hostname = route.host.hostname
    let entry: HostEntry | undefined | null
    if (hostname === '*') entry = this.any ??= newEntry(route.host)
    else if (hostname.startsWith('*.')) {
      const suffix = hostname.slice(2)
      entry = this.wildcard.get(suffix)
      if (!entry) this.wildcard.set(suffix, (entry = newEntry(route.host)))
      if (route.route.wildcard === 'single-label') return entry.singleLabel.add(route)
    } else {
      entry = this.exact.get(hostname)
      if (!entry) this.exact.set(hostname, (entry = newEntry(route.host)))
    }
    entry.routes.add(route)
  }
}

const newEntry = (vhost: VirtualHost): HostEntry => ({ vhost, routes: new RouteSet(), singleLabel: new RouteSet() })
