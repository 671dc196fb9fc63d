import { describe, expect, it } from 'vitest'
import { buildMatcher } from '../../../edge/src/route-table/matcher'
import { route, table } from '../../../test/spec-cases/builder'
import { curlLine, exampleHost, exampleRequest, reaches, routeSummary } from './summary'

const redirect = { type: 'RequestRedirect' as const, scheme: null, hostname: 'shop.example.com', port: null, path: null, statusCode: 301 as const }

describe('route summary', () => {
  const t = table({
    'api.example.com': [
      route({ object: 'demo/api', rule: 0, headers: { 'x-canary': 'always' }, backend: 'demo/api-canary:80' }),
      route({ object: 'demo/api', rule: 1, backend: [{ ref: 'demo/api-stable:80', weight: 90 }, { ref: 'demo/api-canary:80', weight: 10 }] }),
    ],
    'old.example.com': [route({ object: 'demo/old', filters: [redirect], backend: [] })],
    '*.example.com': [route({ object: 'demo/wild', exact: '/ping', method: 'POST', query: { v: '1 2' } })],
    'tls.example.com': [route({ object: 'demo/tls', listenerPorts: [8443] }), route({ object: 'demo/zz-hidden', rule: 1, listenerPorts: [8443] })],
  })
  const lines = routeSummary(t, 'http://127.0.0.1:8080')

  it('lists every route with where it goes: weights, redirects', () => {
    expect(lines.find((l) => l.includes('x-canary: always'))).toMatch(/^  api\.example\.com +\/ x-canary: always +-> demo\/api-canary:80 +\(HTTPRoute demo\/api\)$/)
    expect(lines.find((l) => l.includes('demo/api-stable'))).toContain('demo/api-stable:80 90%, demo/api-canary:80 10%')
    expect(lines.find((l) => l.startsWith('  old.example.com'))).toContain('-> 301 redirect to shop.example.com')
  })

  it('prints curl lines that name the host, port, headers, method and query the route needs', () => {
    const curls = lines.filter((l) => l.trim().startsWith('curl'))
    expect(curls).toContain(`  curl -H 'Host: api.example.com' -H 'x-canary: always' 'http://127.0.0.1:8080/'`)
    expect(curls).toContain(`  curl -i -H 'Host: old.example.com' 'http://127.0.0.1:8080/'`)
    expect(curls).toContain(`  curl -X POST -H 'Host: demo.example.com' 'http://127.0.0.1:8080/ping?v=1%202'`)
    expect(curls).toContain(`  curl -H 'Host: tls.example.com:8443' 'http://127.0.0.1:8080/'`)
  })

  it('prints no curl line for a route that a higher-precedence route hides', () => {
    const matcher = buildMatcher(t)
    const hidden = t.hosts.find((h) => h.hostname === 'tls.example.com')!.routes.find((r) => r.source.name === 'zz-hidden')!
    expect(reaches(matcher, hidden, exampleRequest(hidden, 'tls.example.com'))).toBe(false)
    expect(lines.filter((l) => l.includes('tls.example.com:8443'))).toHaveLength(1)
  })

  it('quotes values for the shell', () => {
    expect(curlLine({ method: 'GET', host: 'a.example', port: 80, path: '/', headers: [['x-who', "it's me"]], query: [] }, 'http://e', false))
      .toBe(`curl -H 'Host: a.example' -H 'x-who: it'\\''s me' 'http://e/'`)
    expect(exampleHost('*')).toBe('anything.example')
  })
})
