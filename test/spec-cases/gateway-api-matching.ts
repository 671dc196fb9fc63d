// Gateway API HTTPRoute matching, from the spec text (HTTPRouteRule.matches precedence) and the
// semantics of the conformance tests HTTPRouteMatching, HTTPRouteMatchingAcrossRoutes,
// HTTPRoutePathMatchOrder, HTTPExactPathMatching, HTTPRouteHeaderMatching,
// HTTPRouteQueryParamMatching and HTTPRouteMethodMatching (kubernetes-sigs/gateway-api,
// conformance/tests). Tables are what the compiler produces for their manifests.
import { answers, copyFor, forwards, route, table, type RouteSpec } from './builder'
import type { SpecCase, SpecRequest } from './types'

const NS = 'gateway-conformance-infra'
const CONFORMANCE = 'kubernetes-sigs/gateway-api conformance/tests/'
const v = (n: 1 | 2 | 3) => `${NS}/infra-backend-v${n}:8080`
const id = (name: string, rule: number, match = 0) => `HTTPRoute/${NS}/${name}/${rule}/${match}`
/** A rule match of HTTPRoute `name` to infra-backend-v<n>. */
const m = (name: string, rule: number, match: number, n: 1 | 2 | 3, spec: RouteSpec = {}) =>
  route({ object: `${NS}/${name}`, rule, match, backend: v(n), ...spec })
/** A request to the listener without a hostname. */
const get = (path: string, expect: SpecRequest['expect'], extra: Omit<SpecRequest, 'url' | 'expect'> = {}): SpecRequest => ({
  url: `http://gw.example.net${path}`,
  expect,
  ...extra,
})

const matching: SpecCase = {
  name: 'HTTPRouteMatching: path and header matches of one route',
  source: `${CONFORMANCE}httproute-matching.go`,
  table: table({
    '*': [
      m('matching', 0, 0, 1, { prefix: '/' }),
      m('matching', 0, 1, 1, { headers: { version: 'one' } }),
      m('matching', 1, 0, 2, { prefix: '/v2' }),
      m('matching', 1, 1, 2, { headers: { version: 'two' } }),
    ],
  }),
  requests: [
    get('/', forwards(id('matching', 0), v(1))),
    get('/example', forwards(id('matching', 0), v(1))),
    get('/', forwards(id('matching', 0, 1), v(1)), { headers: { Version: 'one' } }),
    get('/v2', forwards(id('matching', 1), v(2))),
    get('/v2/example', forwards(id('matching', 1), v(2))),
    get('/', forwards(id('matching', 1, 1), v(2)), { headers: { Version: 'two' } }),
  ],
}

// part1 names example.com and example.net, part2 names *.com: on one listener, part2's rules
// also compete for example.com, so the compiler copies them into that virtual host.
const part1 = [m('matching-part1', 0, 0, 1, { prefix: '/' }), m('matching-part1', 0, 1, 1, { headers: { version: 'one' } })]
const part2 = [m('matching-part2', 0, 0, 2, { prefix: '/v2' }), m('matching-part2', 0, 1, 2, { headers: { version: 'two' } })]
const across = (r: { id: string }, host: string) => `${r.id}@${host}`
const matchingAcrossRoutes: SpecCase = {
  name: 'HTTPRouteMatchingAcrossRoutes: routes with different hostnames compete on the hosts they share',
  source: `${CONFORMANCE}httproute-matching-across-routes.go`,
  table: table({
    'example.com': [...part1, ...part2].map((r) => copyFor(r, 'example.com')),
    'example.net': part1.map((r) => copyFor(r, 'example.net')),
    '*.com': part2.map((r) => copyFor(r, '*.com')),
  }),
  requests: [
    { url: 'http://example.com/', expect: forwards(across(part1[0]!, 'example.com'), v(1)) },
    { url: 'http://example.com/example', expect: forwards(across(part1[0]!, 'example.com'), v(1)) },
    { url: 'http://example.net/example', expect: forwards(across(part1[0]!, 'example.net'), v(1)) },
    { url: 'http://example.com/example', headers: { Version: 'one' }, expect: forwards(across(part1[1]!, 'example.com'), v(1)) },
    { url: 'http://example.com/v2', expect: forwards(across(part2[0]!, 'example.com'), v(2)) },
    { url: 'http://example.net/v2', expect: forwards(across(part1[0]!, 'example.net'), v(1)) },
    { url: 'http://example.com/v2/example', expect: forwards(across(part2[0]!, 'example.com'), v(2)) },
    { url: 'http://example.com/', headers: { Version: 'two' }, expect: forwards(across(part2[1]!, 'example.com'), v(2)) },
    { url: 'http://other.com/v2', expect: forwards(across(part2[0]!, '*.com'), v(2)) },
    { url: 'http://other.com/', expect: answers(404) },
  ],
}

const pathMatchOrder: SpecCase = {
  name: 'HTTPRoutePathMatchOrder: Exact before prefixes, then the longest prefix',
  source: `${CONFORMANCE}httproute-path-match-order.go`,
  table: table({
    '*': [
      m('path-matching-order', 0, 0, 1, { exact: '/match' }),
      m('path-matching-order', 1, 0, 2, { exact: '/match/exact' }),
      m('path-matching-order', 2, 0, 3, { exact: '/match/exact/one' }),
      m('path-matching-order', 3, 0, 3, { prefix: '/match/' }),
      m('path-matching-order', 4, 0, 1, { prefix: '/match/prefix/' }),
      m('path-matching-order', 5, 0, 2, { prefix: '/match/prefix/one' }),
    ],
  }),
  requests: [
    get('/match/exact/one', forwards(id('path-matching-order', 2), v(3))),
    get('/match/exact', forwards(id('path-matching-order', 1), v(2))),
    get('/match', forwards(id('path-matching-order', 0), v(1))),
    get('/match/prefix/one/any', forwards(id('path-matching-order', 5), v(2))),
    get('/match/prefix/any', forwards(id('path-matching-order', 4), v(1))),
    get('/match/any', forwards(id('path-matching-order', 3), v(3))),
  ],
}

const exactPath: SpecCase = {
  name: 'HTTPExactPathMatching: whole-string, case-sensitive equality',
  source: `${CONFORMANCE}httproute-exact-path-matching.go`,
  table: table({ '*': [m('exact-matching', 0, 0, 1, { exact: '/one' }), m('exact-matching', 1, 0, 2, { exact: '/two' })] }),
  requests: [
    get('/one', forwards(id('exact-matching', 0), v(1))),
    get('/two', forwards(id('exact-matching', 1), v(2))),
    get('/', answers(404)),
    get('/one/example', answers(404)),
    get('/two/', answers(404)),
    get('/Two', answers(404)),
  ],
}

const headerMatching: SpecCase = {
  name: 'HTTPRouteHeaderMatching: more header matches win; ties go to the first rule',
  source: `${CONFORMANCE}httproute-header-matching.go`,
  table: table({
    '*': [
      m('header-matching', 0, 0, 1, { headers: { version: 'one' } }),
      m('header-matching', 1, 0, 2, { headers: { version: 'two' } }),
      m('header-matching', 2, 0, 1, { headers: { version: 'two', color: 'orange' } }),
      m('header-matching', 3, 0, 1, { headers: { color: 'blue' } }),
      m('header-matching', 3, 1, 1, { headers: { color: 'green' } }),
      m('header-matching', 4, 0, 2, { headers: { color: 'red' } }),
      m('header-matching', 4, 1, 2, { headers: { color: 'yellow' } }),
    ],
  }),
  requests: [
    get('/', forwards(id('header-matching', 0), v(1)), { headers: { Version: 'one' } }),
    get('/', forwards(id('header-matching', 1), v(2)), { headers: { Version: 'two' } }),
    get('/', forwards(id('header-matching', 2), v(1)), { headers: { Version: 'two', Color: 'orange' } }),
    get('/', forwards(id('header-matching', 1), v(2)), { headers: { Version: 'two', Color: 'blue' } }),
    get('/', answers(404), { headers: { Color: 'orange' } }),
    get('/', answers(404), { headers: { 'Some-Other-Header': 'one' } }),
    get('/', forwards(id('header-matching', 3), v(1)), { headers: { Color: 'blue' } }),
    get('/', forwards(id('header-matching', 3, 1), v(1)), { headers: { Color: 'green' } }),
    get('/', forwards(id('header-matching', 4), v(2)), { headers: { Color: 'red' } }),
    get('/', forwards(id('header-matching', 4, 1), v(2)), { headers: { Color: 'yellow' } }),
    get('/', answers(404), { headers: { Color: 'purple' } }),
    get('/', answers(404), { headers: { Version: 'ONE' } }),
  ],
}

const Q = 'query-param-matching'
const queryMatching: SpecCase = {
  name: 'HTTPRouteQueryParamMatching: names and values case-sensitive, ANDed within a match, ORed across',
  source: `${CONFORMANCE}httproute-query-param-matching.go`,
  table: table({
    '*': [
      m(Q, 0, 0, 1, { query: { animal: 'whale' } }),
      m(Q, 1, 0, 2, { query: { animal: 'dolphin' } }),
      m(Q, 2, 0, 3, { query: { animal: 'dolphin', color: 'blue' } }),
      m(Q, 2, 1, 3, { query: { ANIMAL: 'Whale' } }),
      m(Q, 3, 0, 1, { prefix: '/path1', query: { animal: 'whale' } }),
      m(Q, 4, 0, 2, { headers: { version: 'one' }, query: { animal: 'whale' } }),
      m(Q, 5, 0, 3, { prefix: '/path2', headers: { version: 'two' }, query: { animal: 'whale' } }),
      m(Q, 6, 0, 1, { prefix: '/path3', query: { animal: 'shark' } }),
      m(Q, 6, 1, 1, { prefix: '/path4', headers: { version: 'three' }, query: { animal: 'kraken' } }),
      m(Q, 7, 0, 1, { prefix: '/path5' }),
      m(Q, 7, 1, 3, { headers: { version: 'four' }, query: { animal: 'hydra' } }),
    ],
  }),
  requests: [
    get('/?animal=whale', forwards(id(Q, 0), v(1))),
    get('/?animal=dolphin', forwards(id(Q, 1), v(2))),
    get('/?animal=dolphin&color=blue', forwards(id(Q, 2), v(3))),
    get('/?ANIMAL=Whale', forwards(id(Q, 2, 1), v(3))),
    get('/?animal=whale&otherparam=irrelevant', forwards(id(Q, 0), v(1))),
    get('/?animal=dolphin&color=yellow', forwards(id(Q, 1), v(2))),
    get('/?color=blue', answers(404)),
    get('/?animal=dog', answers(404)),
    get('/?animal=whaledolphin', answers(404)),
    get('/', answers(404)),
    get('/path1?animal=whale', forwards(id(Q, 3), v(1))),
    get('/?animal=whale', forwards(id(Q, 4), v(2)), { headers: { version: 'one' } }),
    get('/path2?animal=whale', forwards(id(Q, 5), v(3)), { headers: { version: 'two' } }),
    get('/path3?animal=shark', forwards(id(Q, 6), v(1))),
    get('/path4?animal=kraken', forwards(id(Q, 6, 1), v(1)), { headers: { version: 'three' } }),
    get('/?animal=shark', answers(404)),
    get('/path4?animal=kraken', answers(404)),
    get('/path5?animal=hydra', forwards(id(Q, 7), v(1))),
    get('/?animal=hydra', forwards(id(Q, 7, 1), v(3)), { headers: { version: 'four' } }),
  ],
}

const M = 'method-matching'
const methodMatching: SpecCase = {
  name: 'HTTPRouteMethodMatching: a method match outranks header matches, never a longer prefix',
  source: `${CONFORMANCE}httproute-method-matching.go`,
  table: table({
    '*': [
      m(M, 0, 0, 1, { method: 'POST' }),
      m(M, 1, 0, 2, { method: 'GET' }),
      m(M, 2, 0, 1, { prefix: '/path1', method: 'GET' }),
      m(M, 3, 0, 2, { method: 'PUT', headers: { version: 'one' } }),
      m(M, 4, 0, 3, { prefix: '/path2', method: 'POST', headers: { version: 'two' } }),
      m(M, 5, 0, 1, { prefix: '/path3', method: 'PATCH' }),
      m(M, 5, 1, 1, { prefix: '/path4', method: 'DELETE', headers: { version: 'three' } }),
      m(M, 6, 0, 1, { prefix: '/path5', method: 'PATCH' }),
      m(M, 6, 1, 2, { method: 'PATCH', headers: { version: 'four' } }),
    ],
  }),
  requests: [
    get('/', forwards(id(M, 0), v(1)), { method: 'POST' }),
    get('/', forwards(id(M, 1), v(2)), { method: 'GET' }),
    get('/', answers(404), { method: 'HEAD' }),
    get('/path1', forwards(id(M, 2), v(1)), { method: 'GET' }),
    get('/', forwards(id(M, 3), v(2)), { method: 'PUT', headers: { version: 'one' } }),
    get('/path2', forwards(id(M, 4), v(3)), { method: 'POST', headers: { version: 'two' } }),
    get('/path3', forwards(id(M, 5), v(1)), { method: 'PATCH' }),
    get('/path4', forwards(id(M, 5, 1), v(1)), { method: 'DELETE', headers: { version: 'three' } }),
    get('/', answers(404), { method: 'PUT' }),
    get('/path4', answers(404), { method: 'DELETE' }),
    get('/path5', forwards(id(M, 6), v(1)), { method: 'PATCH' }),
    get('/', forwards(id(M, 6, 1), v(2)), { method: 'PATCH', headers: { version: 'four' } }),
  ],
}

const tieBreaks: SpecCase = {
  name: 'Precedence ties across routes: oldest first, then namespace/name alphabetical, then rule order',
  source: 'Gateway API HTTPRouteRule.matches ("If ties still exist across multiple Routes ...")',
  table: table({
    '*': [
      route({ object: 'b/newer', createdAt: '2024-02-01T00:00:00Z', prefix: '/age', backend: 'b/newer:80' }),
      route({ object: 'z/older', createdAt: '2024-01-01T00:00:00Z', prefix: '/age', backend: 'z/older:80' }),
      route({ object: 'b/beta', prefix: '/name', backend: 'b/beta:80' }),
      route({ object: 'a/zeta', prefix: '/name', backend: 'a/zeta:80' }),
      route({ object: 'a/rules', rule: 1, prefix: '/rule', backend: 'a/second:80' }),
      route({ object: 'a/rules', rule: 0, prefix: '/rule', backend: 'a/first:80' }),
    ],
  }),
  requests: [
    get('/age', forwards('HTTPRoute/z/older/0/0', 'z/older:80')),
    get('/name', forwards('HTTPRoute/a/zeta/0/0', 'a/zeta:80')),
    get('/rule', forwards('HTTPRoute/a/rules/0/0', 'a/first:80')),
  ],
}

export const gatewayApiMatchingCases: SpecCase[] = [matching, matchingAcrossRoutes, pathMatchOrder, exactPath, headerMatching, queryMatching, methodMatching, tieBreaks]
