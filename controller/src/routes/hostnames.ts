// Gateway API hostname rules: intersection of a listener's hostname with a route's hostnames
// (HTTPRouteSpec.hostnames), and listener specificity. Gateway API wildcards (`*.example.com`)
// are suffix matches: they match `a.example.com` and `a.b.example.com`, never `example.com`.

/** Does the wildcard `*.suffix` (or exact name) pattern match the concrete or wildcard `name`? */
function covers(pattern: string, name: string): boolean {
  if (!pattern.startsWith('*.')) return pattern === name
  const suffix = pattern.slice(1) // ".example.com"
  if (name.startsWith('*.')) return name.slice(1).endsWith(suffix)
  return name.endsWith(suffix) && name.length > suffix.length
}

/**
 * The hostnames a route serves through a listener: the route's hostnames that intersect the
 * listener's (the more specific of each intersecting pair), or the listener's when the route
 * names none. `*` stands for "any host" (neither names one). Empty: no intersection.
 */
export function intersectHostnames(listener: string | undefined, route: readonly string[]): string[] {
  if (route.length === 0) return [listener ?? '*']
  if (listener === undefined) return dedupe(route)
  const out: string[] = []
  for (const hostname of route) {
    if (covers(listener, hostname)) out.push(hostname)
    else if (covers(hostname, listener)) out.push(listener)
  }
  return dedupe(out)
}

const dedupe = (names: readonly string[]) => [...new Set(names)]

/**
 * Listener precedence for requests (GatewaySpec.listeners, "Listeners that are distinct only by
 * Hostname"): exact names first, then wildcards by the number of labels after the `*`, then no
 * hostname. Higher is more specific.
 */
export function hostnameSpecificity(hostname: string | undefined): number {
  if (hostname === undefined || hostname === '*') return 0
  const labels = hostname.split('.').length
  return hostname.startsWith('*.') ? labels : 1000 + labels
}

/** Requests for `inner` (a listener hostname) can also match the less specific `outer`. */
export function isWithin(inner: string | undefined, outer: string | undefined): boolean {
  if (outer === undefined || outer === '*') return inner !== outer
  if (inner === undefined || inner === '*') return false
  return inner !== outer && covers(outer, inner)
}
