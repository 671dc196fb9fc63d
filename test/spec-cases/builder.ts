// A small builder for route tables, so that spec cases and unit tests stay short. Every
// backend Service gets its own gateway on 127.0.0.1 (id `gw-<namespace>-<name>-<port>`), so a
// runtime test can re-point each gateway to its own local echo server and tell them apart.
import type { Backend, Filter, Gateway, HeaderMatch, QueryMatch, Route, RouteAction, RouteTable } from '../../edge/src/route-table/types'
import type { SpecOutcome } from './types'

export interface RouteSpec {
  /** Default 'HTTPRoute'. */
  kind?: 'Ingress' | 'HTTPRoute'
  /** `namespace/name` of the Kubernetes object; default 'default/route'. */
  object?: string
  rule?: number
  match?: number
  /** Path match: `exact` or `prefix` (default prefix '/'). */
  exact?: string
  prefix?: string
  method?: string
  /** Exact matches by name, or full HeaderMatch entries. */
  headers?: Record<string, string> | HeaderMatch[]
  query?: Record<string, string> | QueryMatch[]
  /** 'ns/name:port', a list of weighted refs, or [] (the route answers 500). Default 'default/svc:80'. */
  backend?: BackendSpec | BackendSpec[]
  filters?: Filter[]
  createdAt?: string
  listenerPorts?: number[]
  /** Default: 'single-label' for Ingress, 'suffix' for HTTPRoute. */
  wildcard?: Route['wildcard']
}

/** 'ns/name:port', or with a weight; `unresolved` gives a backend without a gateway (500). */
export type BackendSpec = string | { ref: string; weight?: number; unresolved?: boolean }

export const DEFAULT_CREATED_AT = '2024-01-01T00:00:00Z'

export function route(spec: RouteSpec = {}): Route {
  const kind = spec.kind ?? 'HTTPRoute'
  const [namespace, name] = splitObject(spec.object ?? 'default/route')
  const rule = spec.rule ?? 0
  const match = spec.match ?? 0
  return {
    id: `${kind}/${namespace}/${name}/${rule}/${match}`,
    source: { kind, namespace, name, rule, match, createdAt: spec.createdAt ?? DEFAULT_CREATED_AT, cluster: 'spec' },
    wildcard: spec.wildcard ?? (kind === 'Ingress' ? 'single-label' : 'suffix'),
    listenerPorts: spec.listenerPorts ?? [],
    match: {
      path: spec.exact !== undefined ? { type: 'Exact', value: spec.exact } : { type: 'PathPrefix', value: spec.prefix ?? '/' },
      method: spec.method ?? null,
      headers: valueMatches(spec.headers),
      query: valueMatches(spec.query),
    },
    action: action(spec.backend ?? 'default/svc:80', spec.filters ?? []),
  }
}

export function action(backend: BackendSpec | BackendSpec[], filters: Filter[] = []): RouteAction {
  const specs = Array.isArray(backend) ? backend : [backend]
  return { backends: specs.map(toBackend), filters, timeouts: { requestMs: null, backendMs: null }, retry: null }
}

export interface TableOptions {
  /** Ingress defaultBackend: 'ns/name:port'. */
  fallback?: BackendSpec | RouteAction
  revision?: string
}

/** A table from hostname -> routes; gateways are derived from the backends it names. */
export function table(hosts: Record<string, Route[]>, options: TableOptions = {}): RouteTable {
  const fallback = options.fallback === undefined ? null : isAction(options.fallback) ? options.fallback : action(options.fallback)
  const gateways: Record<string, Gateway> = {}
  const actions = Object.values(hosts).flatMap((routes) => routes.map((r) => r.action))
  for (const a of fallback ? [...actions, fallback] : actions) {
    for (const b of backendsOf(a)) if (b.gateway !== null) gateways[b.gateway] = gatewayFor(b.gateway)
  }
  return {
    schemaVersion: 1,
    revision: options.revision ?? 'spec',
    gateways,
    hosts: Object.entries(hosts).map(([hostname, routes]) => ({ hostname, routes })),
    fallback,
  }
}

/** 'ns/name:port' of a backend, the form spec cases use in their expectations. */
export const backendRef = (b: Backend): string => `${b.service.namespace}/${b.service.name}:${b.service.port}`

export const gatewayId = (ref: string): string => `gw-${ref.replace(/[/:]/g, '-')}`

function gatewayFor(id: string): Gateway {
  return { id, cluster: 'spec', address: '127.0.0.1', port: 80, protocol: 'http' }
}

function toBackend(spec: BackendSpec): Backend {
  const { ref, weight = 1, unresolved = false } = typeof spec === 'string' ? { ref: spec } : spec
  const match = /^([^/]+)\/([^:]+):(\d+)$/.exec(ref)
  if (!match) throw new Error(`backend "${ref}" is not 'namespace/name:port'`)
  return {
    gateway: unresolved ? null : gatewayId(ref),
    weight,
    service: { namespace: match[1]!, name: match[2]!, port: Number(match[3]) },
    filters: [],
  }
}

function backendsOf(a: RouteAction): Backend[] {
  const mirrors = a.filters.flatMap((f) => (f.type === 'RequestMirror' ? [f.backend] : []))
  return [...a.backends, ...mirrors]
}

function valueMatches<T extends HeaderMatch | QueryMatch>(spec: Record<string, string> | T[] | undefined): T[] {
  if (spec === undefined) return []
  if (Array.isArray(spec)) return spec
  return Object.entries(spec).map(([name, value]) => ({ name, type: 'Exact', value }) as T)
}

function splitObject(object: string): [string, string] {
  const [namespace, name, ...rest] = object.split('/')
  if (!namespace || !name || rest.length > 0) throw new Error(`object "${object}" is not 'namespace/name'`)
  return [namespace, name]
}

const isAction = (value: BackendSpec | RouteAction): value is RouteAction => typeof value === 'object' && 'backends' in value

/** Expected outcomes, so that cases read as "forwards to X by route R" or "answers 404". */
export const forwards = (route: string, backend: string): SpecOutcome => ({ route, backend, status: null })
export const answers = (status: number, route: string | null = null): SpecOutcome => ({ route, backend: null, status })
export const fallsBack = (backend: string): SpecOutcome => ({ route: null, backend, status: null })

/** A route copied into another virtual host, id suffixed `@<hostname>` as the compiler does (ADR 0102). */
export const copyFor = (r: Route, hostname: string): Route => ({ ...r, id: `${r.id}@${hostname}` })
