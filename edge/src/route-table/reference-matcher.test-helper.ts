// A plain scan over every route implementing docs/matching.md, written independently of the
// indexed matcher (no index, no pre-sorting, no shared comparator), for the property test
// that the two agree. Test-only: it is as slow as it is obvious.
import type { MatchRequest } from './match-types'
import { normalizePath } from './normalize-path'
import { compileAnchored, isIPv4 } from './syntax'
import type { HeaderMatch, QueryMatch, Route, RouteTable, VirtualHost } from './types'

export type ReferenceResult = { kind: 'route'; id: string } | { kind: 'fallback' } | { kind: 'none' }

export function referenceMatch(table: RouteTable, request: MatchRequest): ReferenceResult {
  let chosen: { vhost: VirtualHost; specificity: number } | null = null
  for (const vhost of table.hosts) {
    const specificity = hostSpecificity(vhost.hostname, request.host)
    if (specificity < 0 || (chosen && chosen.specificity >= specificity)) continue
    if (vhost.routes.some((route) => existsFor(route, vhost.hostname, request))) chosen = { vhost, specificity }
  }
  const matching = (chosen?.vhost.routes ?? []).filter((route) => existsFor(route, chosen!.vhost.hostname, request) && matches(route, request))
  if (matching.length > 0) {
    const best = matching.reduce((a, b) => (outranks(b, a) ? b : a))
    return { kind: 'route', id: best.id }
  }
  return table.fallback ? { kind: 'fallback' } : { kind: 'none' }
}

/** -1: no match; exact names beat every wildcard, longer wildcards beat shorter, `*` is last. */
function hostSpecificity(pattern: string, host: string): number {
  if (pattern === '*') return 0
  if (!pattern.startsWith('*.')) return pattern === host ? 10_000 : -1
  const ipLiteral = host.startsWith('[') || isIPv4(host)
  return !ipLiteral && host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 ? pattern.length : -1
}

/** The route exists on the request's port, and for a wildcard host, for its label count. */
function existsFor(route: Route, pattern: string, request: MatchRequest): boolean {
  if (route.listenerPorts.length > 0 && !route.listenerPorts.includes(request.port)) return false
  if (!pattern.startsWith('*.') || route.wildcard === 'suffix') return true
  const extra = request.host.slice(0, request.host.length - (pattern.length - 1))
  return !extra.includes('.')
}

function matches(route: Route, request: MatchRequest): boolean {
  const value = tablePath(route)
  if (value === null) return false
  const pathOk = route.match.path.type === 'Exact' ? request.path === value : value === '/' || request.path === value || request.path.startsWith(`${value}/`)
  return (
    pathOk &&
    (route.match.method === null || route.match.method === request.method) &&
    route.match.headers.every((h) => valueMatches(h, request.headers.get(h.name))) &&
    route.match.query.every((q) => valueMatches(q, request.query.get(q.name)))
  )
}

function tablePath(route: Route): string | null {
  const normalized = normalizePath(route.match.path.value)
  if (!normalized.ok) return null
  const path = normalized.path
  return route.match.path.type === 'PathPrefix' && path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
}

function valueMatches(match: HeaderMatch | QueryMatch, actual: string | null): boolean {
  if (actual === null) return false
  if (match.type === 'Exact') return actual === match.value
  const regex = compileAnchored(match.value)
  return typeof regex !== 'string' && regex.test(actual)
}

/** Does `a` have higher precedence than `b`? One criterion after the other, spelled out. */
function outranks(a: Route, b: Route): boolean {
  const keys = (r: Route): (number | string)[] => [
    r.match.path.type === 'Exact' ? 0 : 1,
    r.match.path.type === 'Exact' ? 0 : -(tablePath(r)?.length ?? 0),
    r.match.method === null ? 1 : 0,
    -r.match.headers.length,
    -r.match.query.length,
    Date.parse(r.source.createdAt),
    `${r.source.namespace}/${r.source.name}`,
    r.source.kind,
    r.source.rule,
    r.source.match,
    r.id,
  ]
  const ka = keys(a)
  const kb = keys(b)
  for (let i = 0; i < ka.length; i++) {
    if (ka[i]! < kb[i]!) return true
    if (ka[i]! > kb[i]!) return false
  }
  return false
}
