// Plain-words explanations of a match result (`edge-ingress routes explain`). Built lazily:
// the request path only pays for them when someone reads `reason`.
import { failedPredicate, type CompiledRoute } from './compiled-route'
import type { HostEntry } from './host-index'
import type { MatchRequest } from './match-types'
import type { RouteSet } from './route-set'

export interface HostChoice {
  entry: HostEntry
  how: 'exact' | 'wildcard' | 'any'
  /** The route sets of this host that apply to the request's port and label count. */
  sets: RouteSet[]
}

const HOW = { exact: 'exact name', wildcard: 'wildcard', any: 'any host' } as const

const describeHost = (choice: HostChoice, request: MatchRequest) =>
  `host "${request.host}" on port ${request.port} selects virtual host "${choice.entry.vhost.hostname}" (${HOW[choice.how]})`

const describeSource = (c: CompiledRoute) => {
  const s = c.route.source
  return `${s.kind} ${s.namespace}/${s.name} rule ${s.rule}${s.kind === 'HTTPRoute' ? ` match ${s.match}` : ''}`
}

function describeConditions(c: CompiledRoute): string {
  const parts = [`${c.exact ? 'Exact' : 'PathPrefix'} "${c.route.match.path.value}"`]
  if (c.method) parts.push(`method ${c.method}`)
  if (c.headers.length) parts.push(`header${c.headers.length > 1 ? 's' : ''} ${c.headers.map((h) => h.name).join(', ')}`)
  if (c.query.length) parts.push(`query ${c.query.map((q) => q.name).join(', ')}`)
  return parts.join(', ')
}

/** Routes of the chosen host whose path matches, in precedence order. */
function pathCandidates(choice: HostChoice, request: MatchRequest): CompiledRoute[] {
  return choice.sets.flatMap((set) => set.pathMatches(request.path)).sort((a, b) => a.rank - b.rank)
}

export function describeRoute(winner: CompiledRoute, choice: HostChoice, request: MatchRequest): string {
  const matching = pathCandidates(choice, request).filter((c) => failedPredicate(c, request) === null)
  const others = matching.length - 1
  const outranked = others > 0 ? `; it outranks ${others} other matching route${others > 1 ? 's' : ''} (Exact, longest prefix, method, headers, query, age, name, rule)` : ''
  return `${describeHost(choice, request)}; ${describeSource(winner)} matches ${request.method} ${request.path} with ${describeConditions(winner)}${outranked}`
}

export function describeMiss(choice: HostChoice | null, request: MatchRequest): string {
  if (!choice) return `no virtual host matches host "${request.host}" on port ${request.port}`
  const total = choice.sets.reduce((n, set) => n + set.size, 0)
  const near = pathCandidates(choice, request)[0]
  const detail = near ? `; closest: ${describeSource(near)} matches the path but not its ${failedPredicate(near, request)}` : ''
  return `${describeHost(choice, request)}, but none of its ${total} route${total === 1 ? '' : 's'} matches ${request.method} ${request.path}${detail}`
}
