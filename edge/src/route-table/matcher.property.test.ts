// Property: on random tables and random requests, the indexed matcher returns the same route
// as a plain scan over all routes (reference-matcher.test-helper.ts). Values come from small
// pools so that hosts, paths and predicates collide often.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { route, table, type RouteSpec } from '../../../test/spec-cases/builder'
import { buildMatcher } from './matcher'
import { normalizeRequest } from './normalize'
import { parseRouteTable } from './parse'
import { referenceMatch } from './reference-matcher.test-helper'
import { SCAN_LIMIT } from './route-set'
import type { HeaderMatch, Route, RouteTable } from './types'

const HOSTNAMES = ['a.example.com', 'b.example.com', 'x.a.example.com', '*.example.com', '*.a.example.com', '*.com', '*']
const REQUEST_HOSTS = ['a.example.com', 'b.example.com', 'x.a.example.com', 'y.x.a.example.com', 'z.example.com', 'example.com', 'other.org', '10.0.0.1', 'A.Example.com.']
const PATH_VALUES = ['/', '/a', '/a/', '/a/b', '/ab', '/a/b/c', '/%61/b', '/b', '/a//b', '/a%2Fb']
const REQUEST_PATHS = ['/', '/a', '/a/', '/a/b', '/a/b/', '/ab', '/a/b/c', '/a/bc', '/b/a', '/A', '/a/%2e%2e/b', '/a%2fb', '/a/b/c/d', '//a']
const HEADERS: HeaderMatch[] = [
  { name: 'x-a', type: 'Exact', value: '1' },
  { name: 'x-b', type: 'Exact', value: '2' },
  { name: 'x-c', type: 'RegularExpression', value: '[0-9]+' },
]
const QUERIES: HeaderMatch[] = [
  { name: 'q', type: 'Exact', value: '1' },
  { name: 'r', type: 'RegularExpression', value: 'a|b' },
]

const routeSpec = fc.record({
  kind: fc.constantFrom('Ingress', 'HTTPRoute') as fc.Arbitrary<'Ingress' | 'HTTPRoute'>,
  object: fc.constantFrom('a/x', 'a/y', 'b/x', 'a-b/x'),
  rule: fc.nat(2),
  match: fc.nat(1),
  exact: fc.boolean(),
  path: fc.constantFrom(...PATH_VALUES),
  method: fc.constantFrom(null, 'GET', 'POST'),
  headers: fc.subarray(HEADERS),
  query: fc.subarray(QUERIES),
  createdAt: fc.constantFrom('2024-01-01T00:00:00Z', '2024-01-01T00:30:00Z', '2023-12-31T23:00:00-02:00'),
  listenerPorts: fc.constantFrom<number[]>([], [80], [8080], [80, 8080]),
  wildcard: fc.constantFrom('suffix', 'single-label') as fc.Arbitrary<Route['wildcard']>,
})

/** Tables of up to `hosts` virtual hosts (names may repeat: their routes then add up) of `routes` routes each. */
const tablesOf = (hosts: { maxLength: number }, routes: { minLength?: number; maxLength: number }) =>
  fc
    .record({
      hosts: fc.array(fc.tuple(fc.constantFrom(...HOSTNAMES), fc.array(routeSpec, routes)), hosts),
      fallback: fc.boolean(),
    })
    .map(({ hosts, fallback }) => {
      const byHost: Record<string, Route[]> = {}
      let n = 0
      for (const [hostname, specs] of hosts) {
        for (const s of specs) {
          const spec: RouteSpec = { ...s, method: s.method ?? undefined, exact: s.exact ? s.path : undefined, prefix: s.exact ? undefined : s.path }
          const built = route(spec)
          ;(byHost[hostname] ??= []).push({ ...built, id: `${built.id}@${n++}` })
        }
      }
      return table(byHost, fallback ? { fallback: 'default/fallback:80' } : {})
    })

const tables = tablesOf({ maxLength: 6 }, { maxLength: 6 })
/** Hosts with more routes than a route set scans (SCAN_LIMIT): their lookups go through the path index. */
const largeHostTables = tablesOf({ maxLength: 2 }, { minLength: SCAN_LIMIT + 1, maxLength: 3 * SCAN_LIMIT })

type Request = typeof requests extends fc.Arbitrary<infer R> ? R : never
const requests = fc.record({
  host: fc.constantFrom(...REQUEST_HOSTS),
  port: fc.constantFrom(80, 8080, 443),
  path: fc.constantFrom(...REQUEST_PATHS),
  method: fc.constantFrom('GET', 'POST', 'PUT'),
  headers: fc.dictionary(fc.constantFrom('x-a', 'x-b', 'x-c'), fc.constantFrom('1', '2', '12', 'x')),
  query: fc.constantFrom('', '?q=1', '?r=a', '?q=1&r=b', '?r=ab', '?q=2&q=1'),
})

/** The indexed matcher and the reference scan give the same answer to every request. */
function agreesWithReference(t: RouteTable, reqs: Request[]): void {
  expect(parseRouteTable(t).ok).toBe(true)
  const matcher = buildMatcher(t)
  for (const r of reqs) {
    const normalized = normalizeRequest({ url: `http://${r.host}:${r.port}${r.path}${r.query}`, method: r.method, headers: new Headers(r.headers) })
    if (!normalized.ok) throw new Error(normalized.error)
    const got = matcher.match(normalized.request)
    const expected = referenceMatch(t, normalized.request)
    const summary = got.kind === 'route' ? { kind: 'route', id: got.route.id } : { kind: got.kind }
    expect(summary, `${r.method} ${r.host}:${r.port}${r.path}${r.query} ${JSON.stringify(r.headers)}`).toEqual(expected)
  }
}

describe('indexed matcher', () => {
  it('agrees with a plain scan over all routes on random tables and requests', () => {
    fc.assert(fc.property(tables, fc.array(requests, { minLength: 1, maxLength: 20 }), agreesWithReference), { numRuns: 1500 })
  })

  it('agrees with it on hosts too large to scan (their path index)', () => {
    fc.assert(fc.property(largeHostTables, fc.array(requests, { minLength: 1, maxLength: 20 }), agreesWithReference), { numRuns: 300 })
  })

  it('reports a result for hosts of every kind (the generators reach all branches)', () => {
    // Guards the property above against generators that never produce a match.
    const kinds = new Set<string>()
    fc.assert(
      fc.property(tables, requests, (t, r) => {
        const normalized = normalizeRequest({ url: `http://${r.host}:${r.port}${r.path}${r.query}`, method: r.method, headers: new Headers(r.headers) })
        if (normalized.ok) kinds.add(buildMatcher(t).match(normalized.request).kind)
      }),
      { numRuns: 500 },
    )
    expect([...kinds].sort()).toEqual(['fallback', 'none', 'route'])
  })
})
