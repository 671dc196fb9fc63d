// What the edge decides for one request (the output of planRequest): answer itself or forward.
// Pure data, so `edge-ingress routes explain` can print exactly what the edge would do.
import type { AuthenticationPolicy, Backend, Gateway, HeaderModifier, RateLimitPolicy, RetryPolicy, Route, RouteTable } from '../route-table/types'
import type { MatchRequest, MatchResult } from '../route-table/match-types'

export type Scheme = 'http' | 'https'

export interface PlanInput {
  /** What the matcher returned for `request`. */
  match: MatchResult
  /** The normalised request the matcher saw. */
  request: MatchRequest
  /** Normalised path to forward (normalizeRequest's `path`). */
  path: string
  /** Query string including its leading '?', or ''. */
  search: string
  /** The client's request headers as received (hop-by-hop ones are dropped here). */
  headers: Headers
  /** Scheme the client used to reach the edge. */
  scheme: Scheme
  /** Address of the client as the runtime sees it (appended to X-Forwarded-For), or null. */
  clientAddress: string | null
  /** The X-Request-Id this request carries upstream and in error bodies (see resolveRequestId). */
  requestId: string
  gateways: RouteTable['gateways']
  /** Uniform in [0, 1): picks the weighted backend and the mirror samples, in that order. */
  random: () => number
  /** Used when the route sets no request timeout. */
  defaultTimeoutMs?: number
  /** False for a gateway ejected after failing (failover); absent: every gateway is available. */
  isAvailable?: (gateway: string) => boolean
}

/** Which Kubernetes object and rule the request matched; null for the Ingress default backend. */
export type RouteRef = Route['source'] | null

/** The edge answers itself: no route (404), no usable backend (500), a redirect, a CORS preflight. */
export interface RespondPlan {
  kind: 'respond'
  status: number
  /** Response headers (Location for redirects, Access-Control-* for preflights). */
  headers: [string, string][]
  /** Set for errors: the message of the JSON error body. Null for redirects and preflights. */
  error: string | null
  routeId: string | null
  route: RouteRef
  /** Location of a redirect, else null. */
  redirect: string | null
  reason: string
}

export interface UpstreamRequest {
  method: string
  /** Absolute URL on the gateway: `<protocol>://<address>:<port><path><search>`. */
  url: string
  /** Host header the gateway routes on (the client's, or the URLRewrite hostname). */
  host: string
  /** Path and query as sent to the gateway. */
  path: string
  /** Headers to send, `host` included; hop-by-hop headers already removed. */
  headers: Headers
}

export interface MirrorTarget {
  backend: Backend
  gateway: Gateway
  url: string
}

export interface Timeouts {
  /** The whole request, retries included (Gateway API `timeouts.request`). */
  requestMs: number
  /** One attempt to the backend (Gateway API `timeouts.backendRequest`), or null for no separate limit. */
  backendMs: number | null
}

/** The route's API-gateway policies (ADR 0620); null where the route has none. */
export interface EdgePolicy {
  rateLimit: RateLimitPolicy | null
  authentication: AuthenticationPolicy | null
  maxBodyBytes: number | null
}

/** Where one attempt goes: a backend, its gateway, the request as sent there, the response filters. */
export interface UpstreamTarget {
  backend: Backend
  gateway: Gateway
  upstream: UpstreamRequest
  /** Applied to the upstream response, in order (route filters first, then the backend's). */
  responseHeaderModifiers: HeaderModifier[]
}

/** Forward to the chosen target (the plan's own backend, gateway and upstream). */
export interface ForwardPlan extends UpstreamTarget {
  kind: 'forward'
  routeId: string | null
  route: RouteRef
  /**
   * Backends on other gateways that take over when the chosen gateway gives no response, in
   * order (failover/select.ts); empty when the route's backends use one gateway.
   */
  failover: UpstreamTarget[]
  /** API-gateway policies the edge enforces before forwarding (edge/src/policy/). */
  policy: EdgePolicy
  /** CORS headers to add to the upstream response (empty when no CORS filter or origin not allowed). */
  responseHeaders: [string, string][]
  mirrors: MirrorTarget[]
  timeouts: Timeouts
  /** The route's retry policy, null when it has none or the method is not idempotent. */
  retry: RetryPolicy | null
  reason: string
}

export type Plan = RespondPlan | ForwardPlan
