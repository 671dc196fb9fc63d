// The route table: the contract between the controller (writer) and the edge (reader).
// Fully resolved and defaulted: every field is present (null or [] when unused), so the
// edge never resolves a reference or guesses a default. See docs/route-table.md.

export const SCHEMA_VERSION = 1

export interface RouteTable {
  schemaVersion: typeof SCHEMA_VERSION
  /** Content hash of everything else in the table: same content, same revision. */
  revision: string
  /** Where traffic can go, by id. Only these addresses are ever reachable from the edge. */
  gateways: Record<string, Gateway>
  hosts: VirtualHost[]
  /** Ingress spec.defaultBackend (the oldest one wins): used when no host or route matches. */
  fallback: RouteAction | null
}

/** A cluster gateway: a backend Service's own L4 balancer address and Service port. */
export interface Gateway {
  id: string
  cluster: string
  address: string
  port: number
  protocol: 'http' | 'https'
}

/**
 * Routes for one hostname pattern: an exact lowercase name, a wildcard `*.example.com`,
 * or `*` for routes that name no host.
 */
export interface VirtualHost {
  hostname: string
  routes: Route[]
}

export interface RouteSource {
  kind: 'Ingress' | 'HTTPRoute'
  namespace: string
  name: string
  /** Index of the rule (HTTPRoute rules[], Ingress rules[].http.paths[] flattened per rule). */
  rule: number
  /** Index of the match inside the rule (HTTPRoute matches[]; 0 for Ingress). */
  match: number
  /** metadata.creationTimestamp (RFC 3339): older routes win ties. */
  createdAt: string
  cluster: string
}

export type PathMatchType = 'Exact' | 'PathPrefix'
export type ValueMatchType = 'Exact' | 'RegularExpression'

export interface HeaderMatch {
  /** Lowercase header name. */
  name: string
  type: ValueMatchType
  value: string
}

export interface QueryMatch {
  /** Query parameter name, compared case-sensitively. */
  name: string
  type: ValueMatchType
  value: string
}

export interface RouteMatch {
  path: { type: PathMatchType; value: string }
  /** Uppercase HTTP method, or null for any. */
  method: string | null
  headers: HeaderMatch[]
  query: QueryMatch[]
}

export interface Route {
  /** Stable, unique within the table: `<kind>/<namespace>/<name>/<rule>/<match>`. */
  id: string
  source: RouteSource
  /**
   * How a wildcard hostname of this route's virtual host applies: Gateway API
   * wildcards match any number of labels ('suffix'), Ingress wildcards exactly one.
   */
  wildcard: 'suffix' | 'single-label'
  /** Listener ports this route is attached to; [] means every port. */
  listenerPorts: number[]
  match: RouteMatch
  action: RouteAction
}

export interface ServiceRef {
  namespace: string
  name: string
  port: number
}

export interface Backend {
  /** Gateway id, or null when the Service could not be resolved: its share answers 500. */
  gateway: string | null
  weight: number
  service: ServiceRef
  /** Filters of this backendRef only (header modifiers). */
  filters: Filter[]
}

export interface RouteAction {
  /** Weighted backends. Empty (and no redirect filter) means the route answers 500. */
  backends: Backend[]
  filters: Filter[]
  timeouts: { requestMs: number | null; backendMs: number | null }
  retry: RetryPolicy | null
}

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number
  onStatus: number[]
  backoffMs: number
}

export interface HeaderPair {
  name: string
  value: string
}

export interface HeaderModifier {
  set: HeaderPair[]
  add: HeaderPair[]
  /** Lowercase names. */
  remove: string[]
}

export type PathModifier =
  | { type: 'ReplaceFullPath'; value: string }
  | { type: 'ReplacePrefixMatch'; value: string }

export type Filter =
  | ({ type: 'RequestHeaderModifier' } & HeaderModifier)
  | ({ type: 'ResponseHeaderModifier' } & HeaderModifier)
  | {
      type: 'RequestRedirect'
      scheme: 'http' | 'https' | null
      hostname: string | null
      port: number | null
      path: PathModifier | null
      statusCode: 301 | 302 | 303 | 307 | 308
    }
  | { type: 'URLRewrite'; hostname: string | null; path: PathModifier | null }
  | { type: 'RequestMirror'; backend: Backend; percent: number }
  | ({ type: 'CORS' } & CorsPolicy)
  | ({ type: 'RateLimit' } & RateLimitPolicy)
  | ({ type: 'Authentication' } & AuthenticationPolicy)
  | { type: 'RequestBodyLimit'; maxBytes: number }

/** Gateway API HTTPCORSFilter, defaulted: the edge answers preflights itself. */
export interface CorsPolicy {
  /** Origins, `*`, or wildcard-host origins like `https://*.example.com`. */
  allowOrigins: string[]
  allowMethods: string[]
  allowHeaders: string[]
  exposeHeaders: string[]
  allowCredentials: boolean
  maxAgeSeconds: number
}

export type FilterType = Filter['type']

/** Which requests share a token bucket besides the route: each client address, or each value of a header. */
export type RateLimitKey = { type: 'ClientAddress' } | { type: 'Header'; name: string }

/** A token bucket per client (EdgePolicy rateLimit, ADR 0620): `burst` at once, `requests` per `periodSeconds` sustained. */
export interface RateLimitPolicy {
  /** Requests with the same bucket and key share tokens: the object (and rule) that declared the limit. */
  bucket: string
  requests: number
  periodSeconds: number
  burst: number
  key: RateLimitKey
  /** Name of a Workers Rate Limiting binding that counts instead of the in-memory bucket where it exists, or null. */
  workersBinding: string | null
}

/** Requests must authenticate with any one of the configured methods (EdgePolicy authentication). */
export interface AuthenticationPolicy {
  /** Realm of the WWW-Authenticate challenges. */
  realm: string
  apiKey: ApiKeyAuthentication | null
  jwt: JwtAuthentication | null
}

export interface ApiKeyAuthentication {
  /** Lowercase name of the header carrying the key; it is removed before forwarding. */
  header: string
  /** Never the keys themselves: SHA-256 of each key (64 lowercase hex digits) and a name for log lines. */
  keys: { name: string; sha256: string }[]
}

/** A JWT in `Authorization: Bearer`, signed by a key of the JWKS at `jwksUrl`. */
export interface JwtAuthentication {
  issuer: string
  /** The token's `aud` must contain one of these. */
  audiences: string[]
  /** https, or http on a loopback address only. The edge fetches it (and nothing else outside the gateways). */
  jwksUrl: string
  algorithms: ('RS256' | 'ES256')[]
  clockSkewSeconds: number
  /** How long a fetched JWKS is used before it is fetched again. */
  jwksCacheSeconds: number
}
