// The virtual hosts that exist on one listener port, by name: exact names in a Map, wildcards
// by their suffix, and the `*` host. A route set per (host, wildcard kind) keeps Ingress
// (one extra label) and Gateway API (any number of labels) wildcards apart.
import type { CompiledRoute } from './compiled-route'
import type { HostRoutes } from './host-routes'
import { RouteSet, type RouteSlots } from './route-set'
import type { VirtualHost } from './types'

/**
 * A virtual host on one port. It is its own main route set (for exact names and `*`: every
 * route; for wildcards: the 'suffix' ones), so that a lookup goes from the host Map straight to
 * the routes: one object, and at 100k routes one cache miss, fewer per request.
 */
export class HostEntry extends RouteSet {
  /** For wildcards only, once one exists: the 'single-label' (Ingress) routes. */
  singleLabel: RouteSet | null = null

  constructor(
    readonly vhost: VirtualHost,
    private readonly wildcard: boolean,
    private readonly source: HostRoutes,
  ) {
    super()
  }

  /** Builds the host's routes (host-routes.ts) the first time a request looks at it. */
  prepare(): this {
    if (!this.sealed) this.source.build()
    return this
  }

  /** Routes must be placed in precedence order. */
  place(route: CompiledRoute): void {
    if (this.wildcard && route.route.wildcard === 'single-label') (this.singleLabel ??= new RouteSet()).add(route)
    else this.add(route)
  }

  override seal(slots: RouteSlots): void {
    super.seal(slots)
    this.singleLabel?.seal(slots)
  }
}

export class HostIndex {
  readonly exact = new Map<string, HostEntry>()
  /** Key: the wildcard's suffix without `*.`, e.g. `example.com` for `*.example.com`. */
  readonly wildcard = new Map<string, HostEntry>()
  any: HostEntry | null = null
  /** hasSuffixOfLength[n]: some wildcard's suffix has n characters. Other suffixes of a request's host need no lookup. */
  private readonly hasSuffixOfLength: boolean[] = []

  /** The entry of a virtual host, made on first use; its routes come from `source`. */
  entry(vhost: VirtualHost, source: HostRoutes): HostEntry {
    const hostname = vhost.hostname
    if (hostname === '*') return (this.any ??= new HostEntry(vhost, false, source))
    const wildcard = hostname.startsWith('*.')
    const names = wildcard ? this.wildcard : this.exact
    const key = wildcard ? hostname.slice(2) : hostname
    let entry = names.get(key)
    if (entry === undefined) names.set(key, (entry = new HostEntry(vhost, wildcard, source)))
    if (wildcard) this.hasSuffixOfLength[key.length] = true
    return entry
  }

  /** The entry of the wildcard whose suffix is `host` from `start` on (`*.example.com` for `example.com`), if any. */
  wildcardFor(host: string, start: number): HostEntry | undefined {
    return this.hasSuffixOfLength[host.length - start] === true ? this.wildcard.get(host.slice(start)) : undefined
  }

}
