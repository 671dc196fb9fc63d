// Synthetic route tables for benchmarks: `routes` routes, ten per host, shaped like real
// tables (nested prefixes, exact paths, a header match and a method match per host, one host
// in ten a wildcard), and requests that hit them (plus a share of misses).
import { withRevision } from '../../../edge/src/route-table/revision'
import type { MatchRequest } from '../../../edge/src/route-table/match-types'
import type { Route, RouteTable } from '../../../edge/src/route-table/types'
import { route, table } from '../../spec-cases/builder'

export const ROUTES_PER_HOST = 10
/** Requests per match-benchmark sample. */
export const MATCH_REQUESTS = 20_000

/** The ten routes of host number `h`: path shapes repeat, backends differ per host. */
function hostRoutes(h: number): Route[] {
  const backend = (i: number) => `ns-${h % 97}/svc-${h}-${i}:80`
  const object = (i: number) => `ns-${h % 97}/route-${h}-${i}`
  return [
    route({ object: object(0), prefix: '/', backend: backend(0) }),
    route({ object: object(1), prefix: '/api', backend: backend(1) }),
    route({ object: object(2), prefix: '/api/v1', backend: backend(2) }),
    route({ object: object(3), prefix: '/api/v2/orders', backend: backend(3) }),
    route({ object: object(4), prefix: '/static', backend: backend(4) }),
    route({ object: object(5), exact: '/healthz', backend: backend(5) }),
    route({ object: object(6), exact: '/login', backend: backend(6) }),
    route({ object: object(7), exact: `/p/${h}`, backend: backend(7) }),
    route({ object: object(8), prefix: '/api', headers: { 'x-canary': 'true' }, backend: backend(8) }),
    route({ object: object(9), prefix: '/api/v1', method: 'POST', backend: backend(9) }),
  ]
}

export const hostname = (h: number): string => (h % 10 === 9 ? `*.tenant-${h}.example.com` : `app-${h}.example.com`)
/** A concrete name that the host's (possibly wildcard) pattern matches. */
export const requestHost = (h: number): string => (h % 10 === 9 ? `shop.tenant-${h}.example.com` : `app-${h}.example.com`)

export function syntheticTable(routes: number): RouteTable {
  const hosts: Record<string, Route[]> = {}
  for (let h = 0; h < Math.ceil(routes / ROUTES_PER_HOST); h++) hosts[hostname(h)] = hostRoutes(h)
  const { revision: _placeholder, ...content } = table(hosts)
  return { ...content, revision: 'synthetic' }
}

export async function syntheticTableWithRevision(routes: number): Promise<RouteTable> {
  const { revision: _placeholder, ...content } = syntheticTable(routes)
  return withRevision(content)
}

const PATHS = ['/', '/api/users/42', '/api/v1/items', '/api/v2/orders/17/lines', '/static/app.js', '/healthz', '/login', '/docs/intro']

/** One request for each host of the table (to its root). */
export function requestPerHost(routes: number): MatchRequest[] {
  return Array.from({ length: Math.ceil(routes / ROUTES_PER_HOST) }, (_, h) => ({ host: requestHost(h), port: 80, path: '/', method: 'GET', headers: new Headers(), query: new URLSearchParams() }))
}

export interface SyntheticRequest {
  request: MatchRequest
  /** host + path: the key a plain Map would be asked. */
  key: string
}

/** `count` requests over the table's hosts, with a fixed seed; one in twenty is for a host in no rule. */
export function syntheticRequests(routes: number, count: number, seed = 42): SyntheticRequest[] {
  let state = seed
  const random = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x80000000)
  const hosts = Math.ceil(routes / ROUTES_PER_HOST)
  const out: SyntheticRequest[] = []
  for (let i = 0; i < count; i++) {
    const h = Math.floor(random() * hosts)
    const host = random() < 0.05 ? `missing-${h}.example.org` : requestHost(h)
    const path = random() < 0.1 ? `/p/${h}` : PATHS[Math.floor(random() * PATHS.length)]!
    const headers = new Headers(random() < 0.2 ? { 'x-canary': 'true' } : {})
    const method = random() < 0.1 ? 'POST' : 'GET'
    out.push({ request: { host, port: 80, path, method, headers, query: new URLSearchParams() }, key: host + path })
  }
  return out
}
