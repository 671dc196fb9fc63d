// What the edge does with one matched request, decided without I/O: answer itself (404, 500,
// redirect, CORS preflight) or forward to one gateway with the upstream request after filters.
// `edge-ingress routes explain` calls this too, so it says exactly what the edge does.
import { failoverOrder, pickAvailable } from '../failover/select'
import type { Backend, Filter, Gateway, HeaderModifier, Route, RouteAction } from '../route-table/types'
import { isPreflight, preflightHeaders, responseCorsHeaders } from './cors'
import { copyHeaders } from './header-list'
import { applyHeaderModifier } from './header-modifier'
import { modifyPath } from './path-modifier'
import { redirectLocation } from './redirect'
import { planTimeouts } from './timeouts'
import { IDEMPOTENT } from './idempotent'
import type { EdgePolicy, ForwardPlan, MirrorTarget, Plan, PlanInput, RespondPlan, Scheme, UpstreamTarget } from './types'
import { buildUpstreamHeaders } from './upstream-headers'

const DEFAULT_PORT: Record<Scheme, number> = { http: 80, https: 443 }

type RedirectFilter = Extract<Filter, { type: 'RequestRedirect' }>
type CorsFilter = Extract<Filter, { type: 'CORS' }>

export const describeBackend = (b: Backend): string => `${b.service.namespace}/${b.service.name}:${b.service.port}`

export function gatewayUrl(gateway: Gateway, pathAndQuery: string): string {
  return gatewayOrigin(gateway) + pathAndQuery
}

/** `<protocol>://<address>:<port>`, built once per gateway object (a table's gateways do not change). */
export function gatewayOrigin(gateway: Gateway): string {
  let origin = origins.get(gateway)
  if (origin === undefined) {
    const address = gateway.address.includes(':') ? `[${gateway.address}]` : gateway.address
    origin = `${gateway.protocol}://${address}:${gateway.port}`
    origins.set(gateway, origin)
  }
  return origin
}
const origins = new WeakMap<Gateway, string>()

export function planRequest(input: PlanInput): Plan {
  const { match } = input
  if (match.kind === 'none') return respond(404, `no route for ${input.request.host}${input.path}`, null, match.reason)
  const route = match.kind === 'route' ? match.route : null
  const action = match.kind === 'route' ? match.route.action : match.action
  const ctx: Ctx = { input, route, matchedPrefix: route?.match.path.value ?? '/' }

  // Most routes have no filters: skip the searches.
  const filtered = action.filters.length > 0
  const unsupported = filtered ? action.filters.find((f) => !KNOWN_FILTERS.has(f.type)) : undefined
  if (unsupported) return respond(500, `route uses unsupported filter ${String(unsupported.type)}`, route, match.reason)

  const cors = filtered ? (action.filters.find((f): f is CorsFilter => f.type === 'CORS') ?? null) : null
  if (cors !== null && isPreflight(input.request.method, input.headers)) {
    return { ...respond(200, null, route, `${match.reason}; CORS preflight answered by the edge`), headers: preflightHeaders(cors, input.headers) }
  }

  const redirect = filtered ? action.filters.find((f): f is RedirectFilter => f.type === 'RequestRedirect') : undefined
  if (redirect) return redirectPlan(ctx, redirect, match.reason)

  const backend = pickAvailable(action.backends, input.random, input.isAvailable)
  if (backend === null) {
    const why = action.backends.length === 0 ? 'the route has no usable backend' : 'every backend of the route has weight 0'
    return respond(500, why, route, `${match.reason}; ${why}`)
  }
  const backendFiltered = backend.filters.length > 0
  const badFilter = backendFiltered ? backend.filters.find((f) => !KNOWN_FILTERS.has(f.type)) : undefined
  if (badFilter) return respond(500, `backend uses unsupported filter ${String(badFilter.type)}`, route, match.reason)
  const backendRedirect = backendFiltered ? backend.filters.find((f): f is RedirectFilter => f.type === 'RequestRedirect') : undefined
  if (backendRedirect) return redirectPlan(ctx, backendRedirect, `${match.reason}; backend ${describeBackend(backend)} redirects`)

  const gateway = backend.gateway === null ? undefined : input.gateways[backend.gateway]
  if (gateway === undefined) {
    const why = `backend ${describeBackend(backend)} is not resolved to a gateway`
    return respond(500, why, route, `${match.reason}; ${why}`)
  }
  return forwardPlan(ctx, action, backend, gateway, cors, match.reason)
}

const NO_POLICY: EdgePolicy = Object.freeze({ rateLimit: null, authentication: null, maxBodyBytes: null })

interface Ctx {
  input: PlanInput
  route: Route | null
  matchedPrefix: string
}

const KNOWN_FILTERS = new Set<string>(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'RequestMirror', 'CORS', 'RateLimit', 'Authentication', 'RequestBodyLimit'])

function respond(status: number, error: string | null, route: Route | null, reason: string): RespondPlan {
  return { kind: 'respond', status, headers: [], error, routeId: route?.id ?? null, route: route?.source ?? null, redirect: null, reason }
}

function redirectPlan(ctx: Ctx, filter: RedirectFilter, reason: string): RespondPlan {
  const { request, scheme, path, search } = ctx.input
  const location = redirectLocation(filter, { scheme, host: request.host, port: request.port, path, search }, ctx.matchedPrefix)
  return { ...respond(filter.statusCode, null, ctx.route, `${reason}; redirect ${filter.statusCode}`), headers: [['location', location]], redirect: location }
}

function forwardPlan(ctx: Ctx, action: RouteAction, backend: Backend, gateway: Gateway, cors: CorsFilter | null, reason: string): ForwardPlan {
  const { input, route } = ctx
  const clientHost = input.request.port === DEFAULT_PORT[input.scheme] ? input.request.host : `${input.request.host}:${input.request.port}`
  const headers = buildUpstreamHeaders(input.headers, {
    host: clientHost,
    clientHost,
    scheme: input.scheme,
    clientAddress: input.clientAddress,
    requestId: input.requestId,
  })
  let path = input.path
  const responseHeaderModifiers: HeaderModifier[] = []
  const mirrorFilters: Extract<Filter, { type: 'RequestMirror' }>[] = []
  let policy = NO_POLICY
  for (const filter of action.filters) {
    switch (filter.type) {
      case 'RequestHeaderModifier':
        applyHeaderModifier(headers, filter)
        break
      case 'URLRewrite':
        if (filter.hostname !== null) headers.set('host', filter.hostname)
        if (filter.path !== null) path = modifyPath(path, filter.path, ctx.matchedPrefix)
        break
      case 'ResponseHeaderModifier':
        responseHeaderModifiers.push(filter)
        break
      case 'RequestMirror':
        mirrorFilters.push(filter)
        break
      case 'RateLimit':
        policy = { ...policy, rateLimit: filter }
        break
      case 'Authentication':
        policy = { ...policy, authentication: filter }
        break
      case 'RequestBodyLimit':
        policy = { ...policy, maxBodyBytes: filter.maxBytes }
        break
      case 'CORS':
      case 'RequestRedirect':
        break // handled before forwarding
    }
  }
  const pathAndQuery = path + input.search
  const mirrors = mirrorFilters.length === 0 ? [] : sampleMirrors(mirrorFilters, input, pathAndQuery)
  const method = input.request.method
  // Failover targets get their own copy of the headers before the chosen backend's filters touch them.
  const failover: UpstreamTarget[] = []
  if (action.backends.length > 1) {
    for (const other of failoverOrder(action.backends, backend, input.isAvailable)) {
      const otherGateway = input.gateways[other.gateway!]
      if (otherGateway) failover.push(target(other, otherGateway, copyHeaders(headers), method, pathAndQuery, responseHeaderModifiers))
    }
  }
  const chosen = target(backend, gateway, headers, method, pathAndQuery, responseHeaderModifiers)
  return {
    kind: 'forward',
    routeId: route?.id ?? null,
    route: route?.source ?? null,
    backend: chosen.backend,
    gateway: chosen.gateway,
    upstream: chosen.upstream,
    responseHeaderModifiers: chosen.responseHeaderModifiers,
    failover,
    policy,
    responseHeaders: cors === null ? [] : responseCorsHeaders(cors, input.headers),
    mirrors,
    timeouts: planTimeouts(action.timeouts, input.defaultTimeoutMs),
    retry: action.retry !== null && IDEMPOTENT.has(method) ? action.retry : null,
    // An empty match reason: the caller shows no explanation (the edge's routing), so none is built.
    reason: reason === '' ? '' : `${reason}; backend ${describeBackend(backend)} via gateway ${gateway.id} (${gateway.address}:${gateway.port})${describePolicy(policy)}`,
  }
}

/** What the edge checks before forwarding, for `routes explain` (empty without policies). */
function describePolicy({ authentication, rateLimit, maxBodyBytes }: EdgePolicy): string {
  const parts: string[] = []
  if (authentication !== null) parts.push(`authentication by ${[authentication.apiKey && `API key (${authentication.apiKey.header})`, authentication.jwt && `JWT (${authentication.jwt.issuer})`].filter(Boolean).join(' or ')}`)
  if (rateLimit !== null) {
    const per = rateLimit.key.type === 'Header' ? `${rateLimit.key.name} value` : 'client address'
    parts.push(`rate limit ${rateLimit.requests} per ${rateLimit.periodSeconds} s (burst ${rateLimit.burst}) per ${per}`)
  }
  if (maxBodyBytes !== null) parts.push(`request body at most ${maxBodyBytes} bytes`)
  return parts.length === 0 ? '' : `; checked first: ${parts.join(', ')}`
}

/** The request as sent to one backend: the route's result plus the backend's own header filters. */
function target(backend: Backend, gateway: Gateway, headers: Headers, method: string, pathAndQuery: string, routeResponseModifiers: HeaderModifier[]): UpstreamTarget {
  const responseHeaderModifiers = backend.filters.length === 0 ? routeResponseModifiers : [...routeResponseModifiers]
  for (const filter of backend.filters) {
    if (filter.type === 'RequestHeaderModifier') applyHeaderModifier(headers, filter)
    else if (filter.type === 'ResponseHeaderModifier') responseHeaderModifiers.push(filter)
  }
  return {
    backend,
    gateway,
    upstream: { method, url: gatewayUrl(gateway, pathAndQuery), host: headers.get('host')!, path: pathAndQuery, headers },
    responseHeaderModifiers,
  }
}

/** Mirrors go only to table gateways; an unresolved mirror backend is skipped, never an error. */
function sampleMirrors(filters: Extract<Filter, { type: 'RequestMirror' }>[], input: PlanInput, pathAndQuery: string): MirrorTarget[] {
  const out: MirrorTarget[] = []
  for (const f of filters) {
    const gateway = f.backend.gateway === null ? undefined : input.gateways[f.backend.gateway]
    if (gateway === undefined || f.percent <= 0) continue
    if (f.percent < 100 && input.random() * 100 >= f.percent) continue
    out.push({ backend: f.backend, gateway, url: gatewayUrl(gateway, pathAndQuery) })
  }
  return out
}
