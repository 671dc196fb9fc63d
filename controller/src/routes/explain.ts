// What the edge does with one request, as `edge-ingress routes explain` prints it. It runs the
// edge's own pure steps (normalizeRequest, the matcher, planRequest), so the answer is exactly
// the edge's. Weighted choices are random at the edge; here the draw is fixed (EXPLAIN_DRAW), so
// the same input always explains the same way, and the reason says which backend the weights
// would favour.
import { planRequest } from '../../../edge/src/dispatch/plan'
import { resolveRequestId } from '../../../edge/src/dispatch/request-id'
import type { RouteMatcher } from '../../../edge/src/route-table/match-types'
import { normalizeRequest } from '../../../edge/src/route-table/normalize'
import type { Backend } from '../../../edge/src/route-table/types'

/** The value every random draw takes in an explanation (the edge draws uniformly in [0, 1)). */
export const EXPLAIN_DRAW = 0.5
/** X-Request-Id of an explained request that carries none (the edge generates one). */
export const EXPLAIN_REQUEST_ID = 'edge-ingress-explain'

export interface ExplainRequest {
  url: string
  method: string
  headers: [string, string][]
}

export interface Explanation {
  status: number | null
  backend: { namespace: string; name: string; port: number } | null
  gateway: { address: string; port: number } | null
  route: { kind: string; namespace: string; name: string; rule: number } | null
  redirect: string | null
  upstream: { method: string; host: string; path: string; headers: Record<string, string> } | null
  reason: string
}

const nothing = { backend: null, gateway: null, route: null, redirect: null, upstream: null }

export function explainRequest(matcher: RouteMatcher, input: ExplainRequest): Explanation {
  let headers: Headers
  try {
    headers = new Headers(input.headers)
  } catch (error) {
    return { status: 400, ...nothing, reason: `invalid header: ${error instanceof Error ? error.message : String(error)}` }
  }
  const scheme = input.url.toLowerCase().startsWith('https://') ? 'https' : 'http'
  const normal = normalizeRequest({ url: input.url, method: input.method, headers, scheme })
  if (!normal.ok) return { status: normal.status, ...nothing, reason: `the edge refuses the request: ${normal.error}` }

  const match = matcher.match(normal.request)
  const plan = planRequest({
    match,
    request: normal.request,
    path: normal.path,
    search: normal.search,
    headers,
    scheme,
    clientAddress: null,
    requestId: resolveRequestId(headers.get('x-request-id'), () => EXPLAIN_REQUEST_ID),
    gateways: matcher.table.gateways,
    random: () => EXPLAIN_DRAW,
  })
  const source = plan.route
  const route = source ? { kind: source.kind, namespace: source.namespace, name: source.name, rule: source.rule } : null
  if (plan.kind === 'respond') return { status: plan.status, ...nothing, route, redirect: plan.redirect, reason: plan.reason }

  const action = match.kind === 'route' ? match.route.action : match.kind === 'fallback' ? match.action : null
  const weighted = (action?.backends ?? []).filter((b) => b.weight > 0)
  return {
    status: null,
    backend: { ...plan.backend.service },
    gateway: { address: plan.gateway.address, port: plan.gateway.port },
    route,
    redirect: null,
    upstream: { method: plan.upstream.method, host: plan.upstream.host, path: plan.upstream.path, headers: Object.fromEntries(plan.upstream.headers) },
    reason: weighted.length > 1 ? `${plan.reason}; ${describeWeights(weighted, plan.backend)}` : plan.reason,
  }
}

function describeWeights(backends: readonly Backend[], chosen: Backend): string {
  const total = backends.reduce((sum, b) => sum + b.weight, 0)
  const shares = backends.map((b) => `${b.service.namespace}/${b.service.name}:${b.service.port} ${b.weight}/${total}`).join(', ')
  const name = `${chosen.service.namespace}/${chosen.service.name}:${chosen.service.port}`
  return `weighted backends (${shares}): the edge picks at random by weight; explain uses the fixed draw ${EXPLAIN_DRAW}, which picks ${name}`
}
