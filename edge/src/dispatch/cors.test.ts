import { describe, expect, it } from 'vitest'
import type { CorsPolicy } from '../route-table/types'
import { isPreflight, preflightHeaders, responseCorsHeaders } from './cors'

// The policies of the conformance test HTTPRouteCORS (tests/httproute-cors.yaml).
const cors1: CorsPolicy = {
  allowOrigins: ['https://www.foo.com', 'https://*.bar.com'],
  allowMethods: ['GET', 'OPTIONS'],
  allowHeaders: ['x-header-1', 'x-header-2'],
  exposeHeaders: ['x-header-3', 'x-header-4'],
  allowCredentials: true,
  maxAgeSeconds: 3600,
}
const cors2: CorsPolicy = { allowOrigins: ['https://www.foo.com'], allowMethods: ['*'], allowHeaders: [], exposeHeaders: [], allowCredentials: false, maxAgeSeconds: 5 }
const wildcardOrigin: CorsPolicy = { allowOrigins: ['*'], allowMethods: ['*'], allowHeaders: ['*'], exposeHeaders: ['*'], allowCredentials: false, maxAgeSeconds: 5 }
const wildcardWithCredentials: CorsPolicy = { ...wildcardOrigin, allowCredentials: true }

const preflight = (origin: string, method: string, requestHeaders?: string) =>
  new Headers({ origin, 'access-control-request-method': method, ...(requestHeaders ? { 'access-control-request-headers': requestHeaders } : {}) })
const asObject = (entries: [string, string][]) => Object.fromEntries(entries)

describe('CORS preflight', () => {
  it('recognises a preflight only with Origin and Access-Control-Request-Method on OPTIONS', () => {
    expect(isPreflight('OPTIONS', preflight('https://a', 'GET'))).toBe(true)
    expect(isPreflight('OPTIONS', new Headers({ origin: 'https://a' }))).toBe(false)
    expect(isPreflight('GET', preflight('https://a', 'GET'))).toBe(false)
  })

  it.each(['https://www.foo.com', 'https://www.bar.com', 'https://xpto.www.bar.com'])('allows %s (exact and wildcard origins)', (origin) => {
    expect(asObject(preflightHeaders(cors1, preflight(origin, 'GET', 'x-header-1, x-header-2')))).toEqual({
      'access-control-allow-origin': origin,
      'access-control-allow-methods': 'GET, OPTIONS',
      'access-control-allow-headers': 'x-header-1, x-header-2',
      'access-control-expose-headers': 'x-header-3, x-header-4',
      'access-control-max-age': '3600',
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    })
  })

  it.each(['https://foobar.com', 'https://bar.com', 'http://www.foo.com', 'https://www.foo.com:8443'])('refuses %s with no CORS headers', (origin) => {
    expect(preflightHeaders(cors1, preflight(origin, 'GET'))).toEqual([])
  })

  it('a default port in the Origin is the same origin', () => {
    expect(asObject(preflightHeaders(cors1, preflight('https://www.foo.com:443', 'GET')))['access-control-allow-origin']).toBe('https://www.foo.com:443')
  })

  it('wildcard methods echo the requested method and send no credentials header', () => {
    const h = asObject(preflightHeaders(cors2, preflight('https://www.foo.com', 'POST')))
    expect(h['access-control-allow-methods']).toBe('POST')
    expect(h['access-control-allow-credentials']).toBeUndefined()
    expect(h['access-control-max-age']).toBe('5')
  })

  it('wildcard origin, methods and headers with credentials echo origin, method and headers', () => {
    const h = asObject(preflightHeaders(wildcardWithCredentials, preflight('https://other.foo.com', 'PUT', 'x-header-1, x-header-2')))
    expect(h['access-control-allow-origin']).toBe('https://other.foo.com')
    expect(h['access-control-allow-methods']).toBe('PUT')
    expect(h['access-control-allow-headers']).toBe('x-header-1, x-header-2')
    expect(h['access-control-allow-credentials']).toBe('true')
    expect(h['access-control-expose-headers']).toBeUndefined()
  })

  it('wildcard origin accepts an origin with a port', () => {
    expect(asObject(preflightHeaders(wildcardOrigin, preflight('https://foobar.com:12345', 'PUT')))['access-control-allow-origin']).toBe('https://foobar.com:12345')
  })

  it('a host of "*" alone matches any host of that scheme and port (GEP-1767: "a wildcard by itself matches all hosts")', () => {
    const anyHttps: CorsPolicy = { ...cors2, allowOrigins: ['https://*', 'http://*:8080'] }
    const allowed = (origin: string) => asObject(preflightHeaders(anyHttps, preflight(origin, 'GET')))['access-control-allow-origin'] ?? null
    expect(allowed('https://a.b.example.com')).toBe('https://a.b.example.com')
    expect(allowed('https://example.com:443')).toBe('https://example.com:443')
    expect(allowed('http://dev.example.com:8080')).toBe('http://dev.example.com:8080')
    expect(allowed('http://example.com')).toBeNull()
    expect(allowed('https://example.com:8443')).toBeNull()
  })

  it('wildcard expose headers without credentials is *', () => {
    expect(asObject(preflightHeaders(wildcardOrigin, preflight('https://a.example', 'GET')))['access-control-expose-headers']).toBe('*')
  })
})

describe('CORS on actual responses', () => {
  it('adds origin, credentials and expose headers for an allowed origin', () => {
    expect(asObject(responseCorsHeaders(cors1, new Headers({ origin: 'https://www.bar.com' })))).toEqual({
      'access-control-allow-origin': 'https://www.bar.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-header-3, x-header-4',
      vary: 'Origin',
    })
  })
  it('adds nothing for a refused origin or without Origin', () => {
    expect(responseCorsHeaders(cors1, new Headers({ origin: 'https://foobar.com' }))).toEqual([])
    expect(responseCorsHeaders(cors1, new Headers())).toEqual([])
  })
})
