// A route prepared for matching: its path value normalised like request paths, its regular
// expressions compiled, and the sort keys of the precedence order computed once.
import type { MatchRequest } from './match-types'
import { normalizePath } from './normalize-path'
import { compileAnchored } from './syntax'
import type { HeaderMatch, QueryMatch, Route, VirtualHost } from './types'

export interface ValuePredicate {
  name: string
  /** Exact value, or null when `regex` applies. */
  exact: string | null
  /** Anchored; never matches when the table's pattern did not compile. */
  regex: RegExp | null
}

export interface CompiledRoute {
  route: Route
  host: VirtualHost
  /** Normalised path value; for a prefix, without its trailing slash (except the root). */
  path: string
  exact: boolean
  method: string | null
  headers: readonly ValuePredicate[]
  query: readonly ValuePredicate[]
  /** True when the route has no method, header or query condition. */
  pathOnly: boolean
  createdAtMs: number
  /** Position in its virtual host's precedence order (set by the matcher); lower wins. */
  rank: number
  /** Its offset in the matcher's RouteSlots (route-set.ts), once placed. */
  slot: number
}

const NEVER = /(?!)/
/** Shared by every route without header or query conditions (most): nothing allocated per route. */
const NONE: readonly ValuePredicate[] = Object.freeze([])

/** Caches shared by one build: many routes repeat the same timestamps, patterns and paths. */
export interface CompileCaches {
  regex: Map<string, RegExp>
  time: Map<string, number>
  /** One string per distinct path: the paths that most hosts share stay in cache when compared. */
  paths: Map<string, string>
}

export const newCompileCaches = (): CompileCaches => ({ regex: new Map(), time: new Map(), paths: new Map() })

/** Null when the route's path cannot be normalised (a table that skipped parseRouteTable). */
export function compileRoute(route: Route, host: VirtualHost, caches: CompileCaches): CompiledRoute | null {
  const normalized = normalizePath(route.match.path.value)
  if (!normalized.ok) return null
  const exact = route.match.path.type === 'Exact'
  let path = normalized.path
  if (!exact && path.length > 1 && path.endsWith('/')) path = path.slice(0, -1)
  const shared = caches.paths.get(path)
  if (shared === undefined) caches.paths.set(path, path)
  else path = shared
  let createdAtMs = caches.time.get(route.source.createdAt)
  if (createdAtMs === undefined) {
    createdAtMs = Date.parse(route.source.createdAt)
    if (Number.isNaN(createdAtMs)) createdAtMs = Number.MAX_SAFE_INTEGER
    caches.time.set(route.source.createdAt, createdAtMs)
  }
  return {
    route,
    host,
    path,
    exact,
    method: route.match.method,
    headers: predicates(route.match.headers, caches),
    query: predicates(route.match.query, caches),
    pathOnly: route.match.method === null && route.match.headers.length === 0 && route.match.query.length === 0,
    createdAtMs,
    rank: 0,
    slot: -1,
  }
}

const predicates = (matches: (HeaderMatch | QueryMatch)[], caches: CompileCaches): readonly ValuePredicate[] =>
  matches.length === 0 ? NONE : matches.map((m) => predicate(m, caches))

function predicate(match: HeaderMatch | QueryMatch, caches: CompileCaches): ValuePredicate {
  if (match.type === 'Exact') return { name: match.name, exact: match.value, regex: null }
  let regex = caches.regex.get(match.value)
  if (!regex) {
    const compiled = compileAnchored(match.value)
    regex = typeof compiled === 'string' ? NEVER : compiled
    caches.regex.set(match.value, regex)
  }
  return { name: match.name, exact: null, regex }
}

const valueMatches = (p: ValuePredicate, value: string | null): boolean =>
  value !== null && (p.exact !== null ? value === p.exact : p.regex!.test(value))

/** The first predicate (method, header, query) the request fails, or null when all hold. */
export function failedPredicate(c: CompiledRoute, request: MatchRequest): string | null {
  if (c.method !== null && c.method !== request.method) return `method ${c.method}`
  for (const h of c.headers) if (!valueMatches(h, request.headers.get(h.name))) return `header ${h.name}`
  for (const q of c.query) if (!valueMatches(q, request.query.get(q.name))) return `query parameter ${q.name}`
  return null
}

export const headerHolds = (h: ValuePredicate, request: MatchRequest): boolean => valueMatches(h, request.headers.get(h.name))

/** failedPredicate without building its message: the hot path of every lookup. */
export function predicatesHold(c: CompiledRoute, request: MatchRequest): boolean {
  if (c.pathOnly) return true
  if (c.method !== null && c.method !== request.method) return false
  for (const h of c.headers) if (!headerHolds(h, request)) return false
  for (const q of c.query) if (!valueMatches(q, request.query.get(q.name))) return false
  return true
}

/**
 * Precedence inside a virtual host (Gateway API HTTPRouteRule.matches; Ingress takes part in
 * the same order): Exact path, longest prefix, method, most headers, most query parameters,
 * oldest, namespace/name, kind, rule index, match index, then id so the order is total.
 */
export function comparePrecedence(a: CompiledRoute, b: CompiledRoute): number {
  return (
    (a.exact === b.exact ? 0 : a.exact ? -1 : 1) ||
    (a.exact ? 0 : b.path.length - a.path.length) ||
    (a.method === null ? 1 : 0) - (b.method === null ? 1 : 0) ||
    b.headers.length - a.headers.length ||
    b.query.length - a.query.length ||
    a.createdAtMs - b.createdAtMs ||
    compareText(objectKey(a), objectKey(b)) ||
    compareText(a.route.source.kind, b.route.source.kind) ||
    a.route.source.rule - b.route.source.rule ||
    a.route.source.match - b.route.source.match ||
    compareText(a.route.id, b.route.id)
  )
}

/** `namespace/name`, the alphabetical tie-breaker: built only when the criteria before it tie. */
const objectKey = (c: CompiledRoute): string => `${c.route.source.namespace}/${c.route.source.name}`

/** Code-unit order, the same everywhere (localeCompare is not). */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
