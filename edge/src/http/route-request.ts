// From a request to a decision: normalise, match, plan. Shared by the forwarding runtimes
// (which then run the exchange), the Node fast path and Lambda@Edge (which hands the origin to
// CloudFront).
import { planRequest } from '../dispatch/plan'
import { resolveRequestId } from '../dispatch/request-id'
import type { ForwardPlan, Plan, Scheme } from '../dispatch/types'
import type { MatchResult } from '../route-table/match-types'
import { normalizeRequest } from '../route-table/normalize'
import type { RouteTableHolder } from '../table/route-table-holder'
import { errorResponse, planResponse } from './responses'

export interface ClientInfo {
  /** The client's address as the runtime sees it, or null. */
  address: string | null
  /** The scheme the client used to reach the edge. */
  scheme: Scheme
}

export interface RoutingOptions {
  random: () => number
  newRequestId: () => string
  defaultTimeoutMs?: number
  /** False for an ejected gateway (failover); absent: all available. */
  isAvailable?: (gateway: string) => boolean
}

export type Routed =
  | { kind: 'answer'; response: Response; plan: Plan | null; requestId: string; host: string | null; path: string }
  | { kind: 'forward'; plan: ForwardPlan; requestId: string; host: string; path: string }

/** What routing reads of a request: a web Request fits, and so does the Node fast path's view. */
export interface RoutableRequest {
  /** Absolute URL, or the request target as received (origin-form with Host in `headers`). */
  url: string
  method: string
  headers: Headers
}

export function routeRequest(tables: RouteTableHolder, request: RoutableRequest, client: ClientInfo, options: RoutingOptions): Routed {
  const requestId = resolveRequestId(request.headers.get('x-request-id'), options.newRequestId)
  const serving = tables.current()
  const rawPath = pathOf(request.url)
  if (serving === null) {
    return { kind: 'answer', response: errorResponse(503, 'no route table loaded yet', requestId, [['retry-after', '1']]), plan: null, requestId, host: null, path: rawPath }
  }
  const normalized = normalizeRequest({ url: request.url, method: request.method, headers: request.headers, scheme: client.scheme })
  if (!normalized.ok) {
    return { kind: 'answer', response: errorResponse(normalized.status, normalized.error, requestId), plan: null, requestId, host: null, path: rawPath }
  }
  const plan = planRequest({
    match: withoutReason(serving.matcher.match(normalized.request)),
    request: normalized.request,
    path: normalized.path,
    search: normalized.search,
    headers: request.headers,
    scheme: client.scheme,
    clientAddress: client.address,
    requestId,
    gateways: serving.table.gateways,
    random: options.random,
    defaultTimeoutMs: options.defaultTimeoutMs,
    isAvailable: options.isAvailable,
  })
  const host = normalized.request.host
  if (plan.kind === 'respond') return { kind: 'answer', response: planResponse(plan, requestId), plan, requestId, host, path: normalized.path }
  return { kind: 'forward', plan, requestId, host, path: normalized.path }
}

/** The path for log lines before normalisation succeeded; never the query (it may carry secrets). */
function pathOf(url: string): string {
  const start = url.startsWith('/') ? 0 : url.indexOf('/', url.indexOf('//') + 2)
  if (start < 0) return '/'
  const end = url.indexOf('?', start)
  return (end < 0 ? url.slice(start) : url.slice(start, end)).slice(0, 256)
}

/**
 * The edge never shows a match's explanation (only `routes explain` does): hand the planner a
 * result without one, so the lazy explanation is never built on the request path.
 */
function withoutReason(match: MatchResult): MatchResult {
  if (match.kind === 'route') return { kind: 'route', route: match.route, host: match.host, reason: '' }
  if (match.kind === 'fallback') return { kind: 'fallback', action: match.action, reason: '' }
  return { kind: 'none', reason: '' }
}
