// Hostile and odd requests (issue 2, DESIGN.md "Matching semantics"): encoded dot segments,
// %2F, double slashes, mixed-case hosts, ports and trailing dots, absolute-form targets, hosts in
// no rule, malformed escapes, oversized targets and oversized headers. Never a forward to a backend whose rule does
// not match the normalised request. Cases stay within what an HTTP client can send as a URL
// (backslashes, which WHATWG URL parsers turn into slashes, are covered by unit tests).
import { MAX_HEADER_BYTES, MAX_TARGET_LENGTH } from '../../edge/src/route-table/normalize'
import { answers, forwards, route, table } from './builder'
import type { SpecCase, SpecRequest } from './types'

const admin = route({ object: 'app/admin', prefix: '/admin', backend: 'app/admin:80' })
const pub = route({ object: 'app/public', prefix: '/public', backend: 'app/public:80' })
const web = route({ object: 'app/web', exact: '/', backend: 'app/web:80' })
const toAdmin = forwards(admin.id, 'app/admin:80')
const toPublic = forwards(pub.id, 'app/public:80')
const req = (url: string, expect: SpecRequest['expect'], extra: Omit<SpecRequest, 'url' | 'expect'> = {}): SpecRequest => ({ url, expect, ...extra })

const paths: SpecCase = {
  name: 'Hostile paths are normalised before matching',
  source: 'DESIGN.md "Matching semantics"; docs/matching.md; ADR 0101',
  table: table({ 'app.example.com': [admin, pub, web] }),
  requests: [
    req('http://app.example.com/admin/x', toAdmin),
    req('http://app.example.com/public/../admin', toAdmin),
    req('http://app.example.com/public/%2e%2e/admin', toAdmin),
    req('http://app.example.com/public/.%2E/admin', toAdmin),
    req('http://app.example.com/public/%2E%2E%2Fadmin', toPublic),
    req('http://app.example.com/%61dmin', toAdmin),
    req('http://app.example.com/%61%64%6D%69%6E/x', toAdmin),
    req('http://app.example.com//admin', toAdmin),
    req('http://app.example.com/./admin/./x', toAdmin),
    req('http://app.example.com/../../admin', toAdmin),
    req('http://app.example.com/admin%2Fx', answers(404)),
    req('http://app.example.com/ADMIN', answers(404)),
    req('http://app.example.com/administrator', answers(404)),
    req('http://app.example.com/admin%zz', answers(400)),
    req('http://app.example.com/admin%00', answers(400)),
    req('http://app.example.com/%', answers(400)),
    req(`http://app.example.com/admin/${'a'.repeat(MAX_TARGET_LENGTH)}`, answers(414)),
    req('http://app.example.com/', forwards(web.id, 'app/web:80')),
    req('http://app.example.com', forwards(web.id, 'app/web:80')),
  ],
}

const hosts: SpecCase = {
  name: 'Hostile hosts: case, ports, trailing dots, absolute-form targets, hosts in no rule',
  source: 'RFC 9112 3.2.2; Gateway API HTTPRouteSpec.hostnames (port ignored for the name); DESIGN.md',
  table: table({ 'app.example.com': [admin] }),
  requests: [
    req('http://APP.Example.COM/admin', toAdmin),
    req('http://app.example.com:80/admin', toAdmin),
    req('http://app.example.com./admin', toAdmin),
    req('http://app.example.com/admin', toAdmin, { headers: { host: 'evil.example.org' } }),
    req('http://evil.example.org/admin', answers(404), { headers: { host: 'app.example.com' } }),
    req('http://other.example.org/admin', answers(404)),
    req('http://example.com/admin', answers(404)),
    req('http://x.app.example.com/admin', answers(404)),
    req('http://127.0.0.1/admin', answers(404)),
    req('http://[::1]:8080/admin', answers(404)),
    req('http://app.example.com/admin', answers(431), { headers: { 'x-padding': 'x'.repeat(MAX_HEADER_BYTES + 1) } }),
  ],
}

export const hostileCases: SpecCase[] = [paths, hosts]
