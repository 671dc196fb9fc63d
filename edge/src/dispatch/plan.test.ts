import { describe, expect, it } from 'vitest'
import type { MatchRequest, MatchResult } from '../route-table/match-types'
import type { Backend, Filter, Gateway, Route, RouteAction } from '../route-table/types'
import { planRequest } from './plan'
import type { ForwardPlan, PlanInput, RespondPlan } from './types'

const gateways: Record<string, Gateway> = {
  gw1: { id: 'gw1', cluster: 'c1', address: '10.0.0.1', port: 80, protocol: 'http' },
  gw2: { id: 'gw2', cluster: 'c1', address: 'gw2.example.internal', port: 8443, protocol: 'https' },
}
const backend = (name: string, weight = 1, gateway: string | null = 'gw1', filters: Filter[] = []): Backend => ({
  gateway, weight, service: { namespace: 'demo', name, port: 8080 }, filters,
})
const action = (a: Partial<RouteAction>): RouteAction => ({ backends: [backend('web')], filters: [], timeouts: { requestMs: null, backendMs: null }, retry: null, ...a })
const route = (a: Partial<RouteAction>, path: Route['match']['path'] = { type: 'PathPrefix', value: '/' }): Route => ({
  id: 'HTTPRoute/demo/web/0/0',
  source: { kind: 'HTTPRoute', namespace: 'demo', name: 'web', rule: 0, match: 0, createdAt: '2024-01-01T00:00:00Z', cluster: 'c1' },
  wildcard: 'suffix',
  listenerPorts: [],
  match: { path, method: null, headers: [], query: [] },
  action: action(a),
})
const matched = (r: Route): MatchResult => ({ kind: 'route', route: r, host: { hostname: 'app.example.com', routes: [r] }, reason: 'matched web' })

function input(match: MatchResult, o: { method?: string; path?: string; search?: string; headers?: Record<string, string>; port?: number; scheme?: 'http' | 'https'; random?: () => number } = {}): PlanInput {
  const headers = new Headers(o.headers)
  const scheme = o.scheme ?? 'http'
  const request: MatchRequest = {
    host: 'app.example.com', port: o.port ?? (scheme === 'http' ? 80 : 443), path: o.path ?? '/', method: o.method ?? 'GET', headers, query: new URLSearchParams(o.search ?? ''),
  }
  return { match, request, path: request.path, search: o.search ?? '', headers, scheme, clientAddress: '192.0.2.10', requestId: 'rid-1', gateways, random: o.random ?? (() => 0) }
}
const forward = (plan: ReturnType<typeof planRequest>) => {
  expect(plan.kind).toBe('forward')
  return plan as ForwardPlan
}
const answer = (plan: ReturnType<typeof planRequest>) => {
  expect(plan.kind).toBe('respond')
  return plan as RespondPlan
}

describe('planRequest: answers', () => {
  it('no route: 404 with the matcher reason', () => {
    const p = answer(planRequest(input({ kind: 'none', reason: 'no host matches' })))
    expect(p).toMatchObject({ status: 404, routeId: null, reason: 'no host matches' })
    expect(p.error).toMatch(/no route/)
  })

  it('a route without backends answers 500 (a matched rule without a usable backend)', () => {
    expect(answer(planRequest(input(matched(route({ backends: [] })))))).toMatchObject({ status: 500, routeId: 'HTTPRoute/demo/web/0/0' })
  })

  it('all weights 0: 500 (conformance HTTPRouteAllBackendsWeightZero)', () => {
    expect(answer(planRequest(input(matched(route({ backends: [backend('a', 0), backend('b', 0)] })))))).toMatchObject({ status: 500 })
  })

  it('the share of an unresolved backend answers 500, the resolved share forwards', () => {
    const r = route({ backends: [backend('ok', 1), backend('unresolved', 1, null)] })
    expect(forward(planRequest(input(matched(r), { random: () => 0.2 }))).backend.service.name).toBe('ok')
    const p = answer(planRequest(input(matched(r), { random: () => 0.7 })))
    expect(p.status).toBe(500)
    expect(p.error).toContain('demo/unresolved:8080')
  })

  it('a redirect answers with Location and the filter status code, keeping the query', () => {
    const f: Filter = { type: 'RequestRedirect', scheme: 'https', hostname: null, port: null, path: null, statusCode: 301 }
    const p = answer(planRequest(input(matched(route({ backends: [], filters: [f] })), { path: '/a', search: '?x=1' })))
    expect(p).toMatchObject({ status: 301, redirect: 'https://app.example.com/a?x=1', error: null })
    expect(p.headers).toEqual([['location', 'https://app.example.com/a?x=1']])
  })

  it('a backend-level redirect answers for that backend (conformance HTTPRouteBackendRequestRedirect)', () => {
    const f: Filter = { type: 'RequestRedirect', scheme: null, hostname: 'other.example.com', port: null, path: null, statusCode: 302 }
    const p = answer(planRequest(input(matched(route({ backends: [backend('web', 1, 'gw1', [f])] })), { path: '/x' })))
    expect(p.redirect).toBe('http://other.example.com/x')
  })

  it('a CORS preflight is answered by the edge', () => {
    const f: Filter = { type: 'CORS', allowOrigins: ['https://www.foo.com'], allowMethods: ['GET'], allowHeaders: [], exposeHeaders: [], allowCredentials: false, maxAgeSeconds: 5 }
    const p = answer(planRequest(input(matched(route({ filters: [f] })), { method: 'OPTIONS', headers: { origin: 'https://www.foo.com', 'access-control-request-method': 'GET' } })))
    expect(p.status).toBe(200)
    expect(Object.fromEntries(p.headers)['access-control-allow-origin']).toBe('https://www.foo.com')
  })

  it('an unknown filter type is never skipped: 500', () => {
    const f = { type: 'ExtensionRef' } as unknown as Filter
    expect(answer(planRequest(input(matched(route({ filters: [f] })))))).toMatchObject({ status: 500 })
  })
})

describe('planRequest: forwarding', () => {
  it('forwards to the gateway with the client Host and X-Forwarded-*', () => {
    const p = forward(planRequest(input(matched(route({})), { path: '/api', search: '?q=1', headers: { 'x-forwarded-for': '198.51.100.2', connection: 'close' } })))
    expect(p.gateway.id).toBe('gw1')
    expect(p.upstream).toMatchObject({ method: 'GET', url: 'http://10.0.0.1:80/api?q=1', host: 'app.example.com', path: '/api?q=1' })
    expect(Object.fromEntries(p.upstream.headers)).toEqual({
      host: 'app.example.com', 'x-forwarded-for': '198.51.100.2, 192.0.2.10', 'x-forwarded-proto': 'http', 'x-forwarded-host': 'app.example.com', 'x-request-id': 'rid-1',
    })
  })

  it('keeps a non-default listener port in Host', () => {
    expect(forward(planRequest(input(matched(route({})), { port: 8080 }))).upstream.host).toBe('app.example.com:8080')
  })

  it('https gateways get an https URL', () => {
    expect(forward(planRequest(input(matched(route({ backends: [backend('s', 1, 'gw2')] })), { path: '/' }))).upstream.url).toBe('https://gw2.example.internal:8443/')
  })

  it('URLRewrite replaces Host and the matched prefix (conformance HTTPRouteRewriteHost / RewritePath)', () => {
    const f: Filter = { type: 'URLRewrite', hostname: 'rewritten.example.com', path: { type: 'ReplacePrefixMatch', value: '/one' } }
    const p = forward(planRequest(input(matched(route({ filters: [f] }, { type: 'PathPrefix', value: '/prefix/one' })), { path: '/prefix/one/two', search: '?a' })))
    expect(p.upstream.host).toBe('rewritten.example.com')
    expect(p.upstream.headers.get('host')).toBe('rewritten.example.com')
    expect(p.upstream.headers.get('x-forwarded-host')).toBe('app.example.com')
    expect(p.upstream.path).toBe('/one/two?a')
  })

  it('applies route then backend request header modifiers and collects response modifiers', () => {
    const routeMod: Filter = { type: 'RequestHeaderModifier', set: [{ name: 'X-Set', value: 'route' }], add: [], remove: ['x-drop'] }
    const backendMod: Filter = { type: 'RequestHeaderModifier', set: [], add: [{ name: 'X-Set', value: 'backend' }], remove: [] }
    const resp: Filter = { type: 'ResponseHeaderModifier', set: [{ name: 'x-resp', value: '1' }], add: [], remove: [] }
    const p = forward(planRequest(input(matched(route({ filters: [routeMod, resp], backends: [backend('web', 1, 'gw1', [backendMod])] })), { headers: { 'x-drop': '1', 'x-set': 'client' } })))
    expect(p.upstream.headers.get('x-set')).toBe('route,backend')
    expect(p.upstream.headers.has('x-drop')).toBe(false)
    expect(p.responseHeaderModifiers).toEqual([resp])
  })

  it('mirrors to the mirror gateway, sampled by percent after the backend choice', () => {
    const mirror = (percent: number): Filter => ({ type: 'RequestMirror', backend: backend('mirror', 1, 'gw2'), percent })
    const r = route({ filters: [mirror(100), mirror(50), mirror(0)] })
    const draws = [0.1, 0.4]
    const p = forward(planRequest(input(matched(r), { path: '/m', random: () => draws.shift()! })))
    expect(p.mirrors.map((m) => m.url)).toEqual(['https://gw2.example.internal:8443/m', 'https://gw2.example.internal:8443/m'])
    const draws2 = [0.1, 0.6]
    expect(forward(planRequest(input(matched(r), { random: () => draws2.shift()! }))).mirrors).toHaveLength(1)
  })

  it('an unresolved mirror backend is skipped', () => {
    const r = route({ filters: [{ type: 'RequestMirror', backend: backend('m', 1, null), percent: 100 }] })
    expect(forward(planRequest(input(matched(r)))).mirrors).toEqual([])
  })

  it('adds CORS headers for an allowed origin on actual requests', () => {
    const f: Filter = { type: 'CORS', allowOrigins: ['*'], allowMethods: [], allowHeaders: [], exposeHeaders: [], allowCredentials: false, maxAgeSeconds: 5 }
    const p = forward(planRequest(input(matched(route({ filters: [f] })), { headers: { origin: 'https://a.example' } })))
    expect(Object.fromEntries(p.responseHeaders)['access-control-allow-origin']).toBe('https://a.example')
  })

  it('defaults the request timeout and caps the backend timeout by it', () => {
    expect(forward(planRequest(input(matched(route({}))))).timeouts).toEqual({ requestMs: 30_000, backendMs: null })
    expect(forward(planRequest(input(matched(route({ timeouts: { requestMs: 500, backendMs: 2000 } }))))).timeouts).toEqual({ requestMs: 500, backendMs: 500 })
  })

  it('keeps the retry policy only for idempotent methods', () => {
    const retry = { attempts: 3, onStatus: [503], backoffMs: 10 }
    expect(forward(planRequest(input(matched(route({ retry }))))).retry).toEqual(retry)
    expect(forward(planRequest(input(matched(route({ retry })), { method: 'POST' }))).retry).toBeNull()
  })

  it('the Ingress default backend forwards with no route', () => {
    const p = forward(planRequest(input({ kind: 'fallback', action: action({}), reason: 'default backend' })))
    expect(p).toMatchObject({ routeId: null, route: null })
  })
})

describe('planRequest: failover targets (backends on several gateways)', () => {
  const tagged = (name: string, gateway: string) =>
    backend(name, 1, gateway, [{ type: 'RequestHeaderModifier', set: [{ name: 'x-cluster', value: gateway }], add: [], remove: [] }])
  const twoClusters = route({ backends: [tagged('web', 'gw1'), tagged('web', 'gw2')], filters: [{ type: 'RequestHeaderModifier', set: [{ name: 'x-route', value: 'web' }], add: [], remove: [] }] })

  it('lines up the other gateway with its own backend filters on top of the route filters', () => {
    const p = forward(planRequest(input(matched(twoClusters), { random: () => 0 })))
    expect(p.gateway.id).toBe('gw1')
    expect(p.upstream.headers.get('x-cluster')).toBe('gw1')
    expect(p.failover).toHaveLength(1)
    const [other] = p.failover
    expect(other!.gateway.id).toBe('gw2')
    expect(other!.upstream.url).toBe('https://gw2.example.internal:8443/')
    expect(other!.upstream.headers.get('x-cluster')).toBe('gw2')
    expect(other!.upstream.headers.get('x-route')).toBe('web')
  })

  it('the pick skips an ejected gateway, and a single-gateway route has no failover', () => {
    const p = forward(planRequest({ ...input(matched(twoClusters), { random: () => 0 }), isAvailable: (g) => g !== 'gw1' }))
    expect(p.gateway.id).toBe('gw2')
    expect(p.failover).toEqual([])
    expect(forward(planRequest(input(matched(route({}))))).failover).toEqual([])
  })
})

describe('planRequest: API-gateway policies', () => {
  const limit: Filter = { type: 'RateLimit', bucket: 'HTTPRoute/demo/web', requests: 10, periodSeconds: 60, burst: 5, key: { type: 'ClientAddress' }, workersBinding: null }
  const auth: Filter = { type: 'Authentication', realm: 'demo', apiKey: { header: 'x-api-key', keys: [{ name: 'ci', sha256: 'a'.repeat(64) }] }, jwt: null }

  it('carries the route policies into the plan and says so in the reason', () => {
    const p = forward(planRequest(input(matched(route({ filters: [limit, auth, { type: 'RequestBodyLimit', maxBytes: 1024 }] })))))
    expect(p.policy).toEqual({ rateLimit: limit, authentication: auth, maxBodyBytes: 1024 })
    expect(p.reason).toContain('checked first: authentication by API key (x-api-key), rate limit 10 per 60 s (burst 5) per client address, request body at most 1024 bytes')
  })

  it('a route without policies has none, and a CORS preflight is answered before any policy', () => {
    expect(forward(planRequest(input(matched(route({}))))).policy).toEqual({ rateLimit: null, authentication: null, maxBodyBytes: null })
    const cors: Filter = { type: 'CORS', allowOrigins: ['https://app.example'], allowMethods: ['GET'], allowHeaders: [], exposeHeaders: [], allowCredentials: false, maxAgeSeconds: 5 }
    const preflight = input(matched(route({ filters: [auth, cors] })), { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' } })
    expect(answer(planRequest(preflight)).status).toBe(200)
  })
})
