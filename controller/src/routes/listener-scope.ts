// Routes of one Gateway listener compete across their hostnames (Gateway API conformance
// HTTPRouteMatchingAcrossRoutes: on one listener, a `*.com` route with PathPrefix /v2 serves
// example.com/v2 even though another route names example.com exactly). The edge picks one
// virtual host per request and never falls through (ADR 0102), so each route is copied into
// every more specific virtual host of its listener that its hostname covers. Routes of other
// listeners are not copied in: that keeps listener isolation.
import type { Candidate } from './candidate'

/** Does the Gateway API hostname `pattern` (`*` = any) cover every host of `hostname`? */
function covers(pattern: string, hostname: string): boolean {
  if (pattern === '*') return hostname !== '*'
  if (!pattern.startsWith('*.')) return false
  const suffix = pattern.slice(1)
  return hostname !== pattern && hostname.endsWith(suffix) && hostname.length > suffix.length
}

export function shareWithinListeners(candidates: readonly Candidate[]): Candidate[] {
  const byScope = new Map<string, Candidate[]>()
  for (const c of candidates) {
    if (c.scope === null) continue
    const list = byScope.get(c.scope)
    if (list) list.push(c)
    else byScope.set(c.scope, [c])
  }
  const copies: Candidate[] = []
  for (const scoped of byScope.values()) {
    const hostnames = [...new Set(scoped.map((c) => c.hostname))]
    for (const c of scoped) {
      // Only wildcards cover other hostnames: exact ones skip the scan (most routes, at scale).
      if (c.hostname !== '*' && !c.hostname.startsWith('*.')) continue
      for (const hostname of hostnames) if (covers(c.hostname, hostname)) copies.push({ ...c, hostname })
    }
  }
  return copies.length === 0 ? [...candidates] : [...candidates, ...copies]
}
