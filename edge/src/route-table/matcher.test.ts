import { describe, expect, it } from 'vitest'
import { route, table, type RouteSpec } from '../../../test/spec-cases/builder'
import type { MatchRequest, MatchResult } from './match-types'
import { buildMatcher } from './matcher'
import { normalizeRequest } from './normalize'
import type { RouteTable } from './types'

function request(url: string, options: { method?: string; headers?: Record<string, string> } = {}): MatchRequest {
  const result = normalizeRequest({ url, method: options.method ?? 'GET', headers: new Headers(options.headers) })
  if (!result.ok) throw new Error(`bad test request ${url}: ${result.error}`)
  return result.request
}

/** The id of the route that wins, 'fallback', or null. */
function winner(t: RouteTable, url: string, options?: Parameters<typeof request>[1]): string | null {
  const result = buildMatcher(t).match(request(url, options))
  return result.kind === 'route' ? result.route.id : result.kind === 'fallback' ? 'fallback' : null
}

const r = (object: string, spec: RouteSpec = {}) => route({ object, ...spec })

describe('host selection', () => {
  const t = table({
    'foo.example.com': [r('a/exact', { prefix: '/only' })],
    '*.example.com': [r('a/suffix')],
    '*.b.example.com': [r('a/deeper')],
    '*.ingress.io': [r('a/ingress', { kind: 'Ingress' })],
    '*': [r('a/any')],
  })

  it.each([
    ['http://foo.example.com/only/x', 'HTTPRoute/a/exact/0/0'],
    ['http://FOO.Example.COM.:8080/only', 'HTTPRoute/a/exact/0/0'],
    ['http://bar.example.com/', 'HTTPRoute/a/suffix/0/0'],
    ['http://x.y.example.com/', 'HTTPRoute/a/suffix/0/0'],
    ['http://x.b.example.com/', 'HTTPRoute/a/deeper/0/0'],
    ['http://x.y.b.example.com/', 'HTTPRoute/a/deeper/0/0'],
    ['http://example.com/', 'HTTPRoute/a/any/0/0'],
    ['http://b.example.com/', 'HTTPRoute/a/suffix/0/0'],
    ['http://one.ingress.io/', 'Ingress/a/ingress/0/0'],
    ['http://two.one.ingress.io/', 'HTTPRoute/a/any/0/0'],
    ['http://ingress.io/', 'HTTPRoute/a/any/0/0'],
    ['http://10.0.0.1/', 'HTTPRoute/a/any/0/0'],
    ['http://[::1]/', 'HTTPRoute/a/any/0/0'],
  ])('%s -> %s', (url, id) => {
    expect(winner(t, url)).toBe(id)
  })

  it('does not fall through to a less specific host when the chosen one has no matching route', () => {
    expect(winner(t, 'http://foo.example.com/other')).toBe(null)
    expect(winner(table(t.hosts.reduce((acc, h) => ({ ...acc, [h.hostname]: h.routes }), {}), { fallback: 'default/fb:80' }), 'http://foo.example.com/other')).toBe('fallback')
  })

  it('answers none, or the fallback, for a host in no rule', () => {
    const noAny = table({ 'foo.example.com': [r('a/b')] })
    expect(winner(noAny, 'http://elsewhere.org/')).toBe(null)
    expect(winner(table({ 'foo.example.com': [r('a/b')] }, { fallback: 'default/fb:80' }), 'http://elsewhere.org/')).toBe('fallback')
  })

  it('lets Ingress and Gateway API wildcards share a virtual host, each with its own label rule', () => {
    const shared = table({ '*.example.com': [r('a/ing', { kind: 'Ingress', prefix: '/i' }), r('a/gw', { prefix: '/g' })] })
    expect(winner(shared, 'http://x.example.com/i')).toBe('Ingress/a/ing/0/0')
    expect(winner(shared, 'http://x.example.com/g')).toBe('HTTPRoute/a/gw/0/0')
    expect(winner(shared, 'http://y.x.example.com/i')).toBe(null)
    expect(winner(shared, 'http://y.x.example.com/g')).toBe('HTTPRoute/a/gw/0/0')
  })

  it('skips a wildcard host whose routes need one label when the request has more', () => {
    const t2 = table({ '*.b.example.com': [r('a/ing', { kind: 'Ingress' })], '*.example.com': [r('a/gw')] })
    expect(winner(t2, 'http://x.y.b.example.com/')).toBe('HTTPRoute/a/gw/0/0')
  })
})

describe('listener ports', () => {
  const t = table({
    'foo.example.com': [r('a/on80', { listenerPorts: [80] })],
    '*.example.com': [r('a/on8080', { listenerPorts: [8080] }), r('a/every', { prefix: '/every' })],
  })

  it('a route with listener ports exists only on those ports', () => {
    expect(winner(t, 'http://foo.example.com/')).toBe('HTTPRoute/a/on80/0/0')
    expect(winner(t, 'http://foo.example.com:8080/')).toBe('HTTPRoute/a/on8080/0/0')
    expect(winner(t, 'http://bar.example.com:8080/x')).toBe('HTTPRoute/a/on8080/0/0')
    expect(winner(t, 'http://bar.example.com/x')).toBe(null)
    expect(winner(t, 'http://bar.example.com/every')).toBe('HTTPRoute/a/every/0/0')
    // On 443 the exact host has no routes, so the wildcard is chosen; its only route there is /every.
    expect(winner(t, 'https://foo.example.com/every')).toBe('HTTPRoute/a/every/0/0')
    expect(buildMatcher(t).match(request('https://foo.example.com/')).reason).toContain('selects virtual host "*.example.com"')
  })

  it('merges port-specific and every-port routes of one host by precedence', () => {
    const t2 = table({ 'h.io': [r('a/short', { prefix: '/a' }), r('a/long', { prefix: '/a/b', listenerPorts: [8080] })] })
    expect(winner(t2, 'http://h.io:8080/a/b/c')).toBe('HTTPRoute/a/long/0/0')
    expect(winner(t2, 'http://h.io:8080/a/c')).toBe('HTTPRoute/a/short/0/0')
    expect(winner(t2, 'http://h.io/a/b/c')).toBe('HTTPRoute/a/short/0/0')
  })
})

describe('paths', () => {
  const t = table({
    'h.io': [
      r('p/root', { prefix: '/' }),
      r('p/abc', { prefix: '/abc' }),
      r('p/abcdef', { prefix: '/abc/def/' }),
      r('p/exact', { exact: '/abc/exact' }),
      r('p/enc', { prefix: '/%7euser//files' }),
      r('p/slash', { prefix: '/a%2Fb' }),
    ],
  })

  it.each([
    ['/abc', 'p/abc'],
    ['/abc/', 'p/abc'],
    ['/abc/x', 'p/abc'],
    ['/abcd', 'p/root'],
    ['/abc/def', 'p/abcdef'],
    ['/abc/def/', 'p/abcdef'],
    ['/abc/defg', 'p/abc'],
    ['/abc/exact', 'p/exact'],
    ['/abc/exact/', 'p/abc'],
    ['/ABC', 'p/root'],
    ['/~user/files/x', 'p/enc'],
    ['/%7Euser/files', 'p/enc'],
    ['/a%2fb/c', 'p/slash'],
    ['/a/b', 'p/root'],
    ['/x/../abc', 'p/abc'],
    ['//abc', 'p/abc'],
    ['/%61bc', 'p/abc'],
  ])('%s -> %s', (path, object) => {
    expect(winner(t, `http://h.io${path}`)).toBe(`HTTPRoute/${object}/0/0`)
  })
})

describe('precedence (never the table order)', () => {
  const ids = (spec: [string, RouteSpec][]) => spec.map(([o, s]) => r(o, s))
  const check = (routes: ReturnType<typeof ids>, url: string, expected: string, options?: Parameters<typeof request>[1]) => {
    expect(winner(table({ 'h.io': routes }), url, options)).toBe(expected)
    expect(winner(table({ 'h.io': [...routes].reverse() }), url, options)).toBe(expected)
  }

  it('Exact beats any prefix', () => {
    check(ids([['a/p', { prefix: '/x/y' }], ['a/e', { exact: '/x/y' }]]), 'http://h.io/x/y', 'HTTPRoute/a/e/0/0')
  })
  it('longest prefix beats method and headers', () => {
    check(ids([['a/short', { prefix: '/x', method: 'GET', headers: { v: '1' } }], ['a/long', { prefix: '/x/y' }]]), 'http://h.io/x/y', 'HTTPRoute/a/long/0/0', { headers: { v: '1' } })
  })
  it('method beats headers', () => {
    check(ids([['a/h', { headers: { v: '1', w: '2' } }], ['a/m', { method: 'GET' }]]), 'http://h.io/', 'HTTPRoute/a/m/0/0', { headers: { v: '1', w: '2' } })
  })
  it('more headers beat fewer, and beat query', () => {
    check(ids([['a/one', { headers: { v: '1' }, query: { q: '1', r: '2' } }], ['a/two', { headers: { v: '1', w: '2' } }]]), 'http://h.io/?q=1&r=2', 'HTTPRoute/a/two/0/0', { headers: { v: '1', w: '2' } })
  })
  it('more query matches beat fewer', () => {
    check(ids([['a/one', { query: { q: '1' } }], ['a/two', { query: { q: '1', r: '2' } }]]), 'http://h.io/?q=1&r=2', 'HTTPRoute/a/two/0/0')
  })
  it('then the oldest, then namespace/name, then kind, rule and match index', () => {
    // Compared as instants, not text: 2023-12-31T23:00-02:00 is after 2024-01-01T00:30Z.
    check(ids([['a/older', { createdAt: '2024-01-01T00:30:00Z' }], ['z/newer', { createdAt: '2023-12-31T23:00:00-02:00' }]]), 'http://h.io/', 'HTTPRoute/a/older/0/0')
    check(ids([['b/x', {}], ['a/y', {}]]), 'http://h.io/', 'HTTPRoute/a/y/0/0')
    check(ids([['a-b/x', {}], ['a/y', {}]]), 'http://h.io/', 'HTTPRoute/a-b/x/0/0')
    check([r('a/x', { kind: 'Ingress' }), r('a/x')], 'http://h.io/', 'HTTPRoute/a/x/0/0')
    check(ids([['a/x', { rule: 2 }], ['a/x', { rule: 1, match: 3 }]]), 'http://h.io/', 'HTTPRoute/a/x/1/3')
    check(ids([['a/x', { rule: 1, match: 2 }], ['a/x', { rule: 1, match: 1 }]]), 'http://h.io/', 'HTTPRoute/a/x/1/1')
  })
  it('falls back to a lower-precedence route when a higher one fails a predicate', () => {
    const routes = ids([['a/long', { prefix: '/x/y', method: 'POST' }], ['a/short', { prefix: '/x' }], ['a/exact', { exact: '/x/y', headers: { v: '1' } }]])
    check(routes, 'http://h.io/x/y', 'HTTPRoute/a/short/0/0')
    check(routes, 'http://h.io/x/y', 'HTTPRoute/a/long/0/0', { method: 'POST' })
    check(routes, 'http://h.io/x/y', 'HTTPRoute/a/exact/0/0', { method: 'POST', headers: { v: '1' } })
  })
})

describe('predicates', () => {
  const t = table({
    'h.io': [
      r('a/re', { headers: [{ name: 'x-v', type: 'RegularExpression', value: 'v[0-9]+' }] }),
      r('a/q', { query: [{ name: 'id', type: 'RegularExpression', value: '\\d{3}' }], prefix: '/q' }),
      r('a/eq', { headers: { 'x-env': 'Prod' }, prefix: '/eq' }),
    ],
  })
  it('regular expressions match the whole value', () => {
    expect(winner(t, 'http://h.io/', { headers: { 'x-v': 'v12' } })).toBe('HTTPRoute/a/re/0/0')
    expect(winner(t, 'http://h.io/', { headers: { 'x-v': 'xv12' } })).toBe(null)
    expect(winner(t, 'http://h.io/', { headers: { 'x-v': 'v12x' } })).toBe(null)
    expect(winner(t, 'http://h.io/q?id=123')).toBe('HTTPRoute/a/q/0/0')
    expect(winner(t, 'http://h.io/q?id=1234')).toBe(null)
  })
  it('header names are case-insensitive, values are not; repeated headers join with ", "', () => {
    expect(winner(t, 'http://h.io/eq', { headers: { 'X-ENV': 'Prod' } })).toBe('HTTPRoute/a/eq/0/0')
    expect(winner(t, 'http://h.io/eq', { headers: { 'x-env': 'prod' } })).toBe(null)
    const headers = new Headers([['x-v', 'v1'], ['x-v', 'v2']])
    expect(buildMatcher(t).match({ ...request('http://h.io/'), headers }).kind).toBe('none')
  })
  it('query values are percent-decoded; the first of repeated parameters counts', () => {
    const t2 = table({ 'h.io': [r('a/q', { query: { name: 'a b' } })] })
    expect(winner(t2, 'http://h.io/?name=a%20b')).toBe('HTTPRoute/a/q/0/0')
    expect(winner(t2, 'http://h.io/?name=a+b&name=x')).toBe('HTTPRoute/a/q/0/0')
    expect(winner(t2, 'http://h.io/?name=x&name=a+b')).toBe(null)
  })
})

describe('reason', () => {
  const t = table({ 'shop.io': [r('shop/web', { prefix: '/cart', method: 'GET' }), r('shop/all', { prefix: '/' })] }, { fallback: 'default/fb:80' })
  const reason = (url: string, method = 'GET'): MatchResult => buildMatcher(t).match(request(url, { method }))

  it('says which host, which route and why', () => {
    const result = reason('http://shop.io/cart/1')
    expect(result.reason).toContain('virtual host "shop.io" (exact name)')
    expect(result.reason).toContain('HTTPRoute shop/web rule 0 match 0 matches GET /cart/1 with PathPrefix "/cart", method GET')
    expect(result.reason).toContain('outranks 1 other matching route')
  })
  it('says why none matched, and names the closest route', () => {
    const t2 = table({ 'shop.io': [r('shop/web', { prefix: '/cart', method: 'GET' })] })
    expect(buildMatcher(t2).match(request('http://shop.io/cart', { method: 'POST' })).reason).toBe(
      'host "shop.io" on port 80 selects virtual host "shop.io" (exact name), but none of its 1 route matches POST /cart; closest: HTTPRoute shop/web rule 0 match 0 matches the path but not its method GET',
    )
    expect(reason('http://other.io/').reason).toBe('no virtual host matches host "other.io" on port 80; the table\'s fallback (Ingress defaultBackend) answers')
  })
})
