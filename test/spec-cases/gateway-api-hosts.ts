// Gateway API hostnames and listeners, as compiled into virtual hosts and listener ports: the
// semantics of the conformance tests HTTPRouteHostnameIntersection,
// HTTPRouteListenerHostnameMatching, HTTPRouteListenerPortMatching and
// GatewayHTTPListenerIsolation, and HTTPRouteSpec.hostnames (wildcards are suffix matches that
// never match the bare domain; the Host header's port is ignored for the name).
import { answers, copyFor, forwards, route, table, type RouteSpec } from './builder'
import type { SpecCase, SpecRequest } from './types'

const NS = 'gateway-conformance-infra'
const CONFORMANCE = 'kubernetes-sigs/gateway-api conformance/tests/'
const v = (n: 1 | 2 | 3) => `${NS}/infra-backend-v${n}:8080`
const r = (name: string, n: 1 | 2 | 3, spec: RouteSpec = {}) => route({ object: `${NS}/${name}`, backend: v(n), ...spec })
const req = (url: string, expect: SpecRequest['expect']): SpecRequest => ({ url, expect })

const s1 = r('specific-host-matches-listener-specific-host', 1, { prefix: '/s1' })
const s2 = r('specific-host-matches-listener-wildcard-host', 2, { prefix: '/s2' })
const s3 = r('wildcard-host-matches-listener-specific-host', 3, { prefix: '/s3' })
const s4 = r('wildcard-host-matches-listener-wildcard-host', 1, { prefix: '/s4' })
const hostnameIntersection: SpecCase = {
  name: 'HTTPRouteHostnameIntersection: routes serve only the intersection of their and their listener\'s hostnames',
  source: `${CONFORMANCE}httproute-hostname-intersection.go`,
  table: table({
    'very.specific.com': [s1, s3],
    'foo.wildcard.io': [copyFor(s2, 'foo.wildcard.io')],
    'bar.wildcard.io': [copyFor(s2, 'bar.wildcard.io')],
    'foo.bar.wildcard.io': [copyFor(s2, 'foo.bar.wildcard.io')],
    '*.anotherwildcard.io': [s4],
  }),
  requests: [
    req('http://very.specific.com/s1', forwards(s1.id, v(1))),
    req('http://very.specific.com:1234/s1', forwards(s1.id, v(1))),
    req('http://non.matching.com/s1', answers(404)),
    req('http://foo.nonmatchingwildcard.io/s1', answers(404)),
    req('http://foo.wildcard.io/s1', answers(404)),
    req('http://very.specific.com/non-matching-prefix', answers(404)),
    req('http://foo.wildcard.io/s2', forwards(`${s2.id}@foo.wildcard.io`, v(2))),
    req('http://bar.wildcard.io/s2', forwards(`${s2.id}@bar.wildcard.io`, v(2))),
    req('http://foo.bar.wildcard.io/s2', forwards(`${s2.id}@foo.bar.wildcard.io`, v(2))),
    req('http://non.matching.com/s2', answers(404)),
    req('http://wildcard.io/s2', answers(404)),
    req('http://very.specific.com/s2', answers(404)),
    req('http://foo.wildcard.io/non-matching-prefix', answers(404)),
    req('http://very.specific.com/s3', forwards(s3.id, v(3))),
    req('http://foo.specific.com/s3', answers(404)),
    req('http://foo.wildcard.io/s3', answers(404)),
    req('http://foo.anotherwildcard.io/s4', forwards(s4.id, v(1))),
    req('http://bar.anotherwildcard.io/s4', forwards(s4.id, v(1))),
    req('http://foo.bar.anotherwildcard.io/s4', forwards(s4.id, v(1))),
    req('http://anotherwildcard.io/s4', answers(404)),
    req('http://foo.wildcard.io/s4', answers(404)),
    req('http://very.specific.com/s4', answers(404)),
  ],
}

const b1 = r('backend-v1', 1)
const b2 = r('backend-v2', 2)
const b3 = r('backend-v3', 3)
const listenerHostnames: SpecCase = {
  name: 'HTTPRouteListenerHostnameMatching: exact listener names before wildcards, wildcards at any depth',
  source: `${CONFORMANCE}httproute-listener-hostname-matching.go`,
  table: table({
    'bar.com': [b1],
    'foo.bar.com': [b2],
    '*.bar.com': [copyFor(b3, '*.bar.com')],
    '*.foo.com': [copyFor(b3, '*.foo.com')],
  }),
  requests: [
    req('http://bar.com/', forwards(b1.id, v(1))),
    req('http://foo.bar.com/', forwards(b2.id, v(2))),
    req('http://baz.bar.com/', forwards(`${b3.id}@*.bar.com`, v(3))),
    req('http://boo.bar.com/', forwards(`${b3.id}@*.bar.com`, v(3))),
    req('http://multiple.prefixes.bar.com/', forwards(`${b3.id}@*.bar.com`, v(3))),
    req('http://multiple.prefixes.foo.com/', forwards(`${b3.id}@*.foo.com`, v(3))),
    req('http://foo.com/', answers(404)),
    req('http://no.matching.host/', answers(404)),
  ],
}

const p1 = r('backend-v1', 1, { listenerPorts: [80] })
const p2 = r('backend-v2', 2, { listenerPorts: [8080] })
const p3 = r('backend-v3', 3, { listenerPorts: [8090] })
const listenerPorts: SpecCase = {
  name: 'HTTPRouteListenerPortMatching: routes exist only on their listeners\' ports; the Host port is the listener port',
  source: `${CONFORMANCE}httproute-listener-port-matching.go`,
  table: table({ '*': [p1, p2], 'foo.com': [p3] }),
  requests: [
    req('http://foo.com/', forwards(p1.id, v(1))),
    req('http://foo.com:8080/', forwards(p2.id, v(2))),
    req('http://bar.com:8080/', forwards(p2.id, v(2))),
    req('http://foo.com:8090/', forwards(p3.id, v(3))),
    req('http://bar.com:8090/', answers(404)),
    req('http://bar.com:9999/', answers(404)),
  ],
}

const empty = r('attached-to-empty-hostname', 1, { prefix: '/empty-hostname' })
const wildcard = r('attached-to-wildcard-example-com', 1, { prefix: '/wildcard-example-com' })
const wildcardFoo = r('attached-to-wildcard-foo-example-com', 2, { prefix: '/wildcard-foo-example-com' })
const abc = r('attached-to-abc-foo-example-com', 3, { prefix: '/abc-foo-example-com' })
const listenerIsolation: SpecCase = {
  name: 'GatewayHTTPListenerIsolation: a request belongs to its most specific listener only',
  source: `${CONFORMANCE}gateway-http-listener-isolation.go`,
  table: table({ '*': [empty], '*.example.com': [wildcard], '*.foo.example.com': [wildcardFoo], 'abc.foo.example.com': [abc] }),
  requests: [
    req('http://bar.com/empty-hostname', forwards(empty.id, v(1))),
    req('http://bar.com/wildcard-example-com', answers(404)),
    req('http://bar.example.com/wildcard-example-com', forwards(wildcard.id, v(1))),
    req('http://bar.example.com/empty-hostname', answers(404)),
    req('http://bar.foo.example.com/wildcard-foo-example-com', forwards(wildcardFoo.id, v(2))),
    req('http://bar.foo.example.com/wildcard-example-com', answers(404)),
    req('http://abc.foo.example.com/abc-foo-example-com', forwards(abc.id, v(3))),
    req('http://abc.foo.example.com/wildcard-foo-example-com', answers(404)),
  ],
}

export const gatewayApiHostCases: SpecCase[] = [hostnameIntersection, listenerHostnames, listenerPorts, listenerIsolation]
