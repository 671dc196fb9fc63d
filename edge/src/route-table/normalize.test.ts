import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_HEADER_BYTES, MAX_TARGET_LENGTH, normalizeRequest, type NormalizeInput } from './normalize'

const input = (url: string, headers: Record<string, string> = {}, extra: Partial<NormalizeInput> = {}): NormalizeInput => ({
  url,
  method: 'GET',
  headers: new Headers(headers),
  ...extra,
})

function ok(i: NormalizeInput) {
  const result = normalizeRequest(i)
  if (!result.ok) throw new Error(`expected ${i.url} to normalise, got ${result.status}: ${result.error}`)
  return result
}

describe('normalizeRequest: host and port', () => {
  it.each([
    ['http://Example.COM/', 'example.com', 80],
    ['https://example.com/', 'example.com', 443],
    ['http://example.com:8080/', 'example.com', 8080],
    ['http://example.com./', 'example.com', 80],
    ['http://EXAMPLE.com.:8443/', 'example.com', 8443],
    ['http://example.com:/', 'example.com', 80],
    ['http://10.0.0.1:81/', '10.0.0.1', 81],
    ['http://[::1]:8080/', '[::1]', 8080],
    ['http://[2001:DB8::1]/', '[2001:db8::1]', 80],
    ['http://my_host.internal/', 'my_host.internal', 80],
  ])('%s -> host %s, port %i', (url, host, port) => {
    const { request } = ok(input(url))
    expect(request.host).toBe(host)
    expect(request.port).toBe(port)
  })

  it('takes the Host header for an origin-form target', () => {
    const { request } = ok(input('/a', { host: 'Shop.Example.com:8443' }))
    expect(request).toMatchObject({ host: 'shop.example.com', port: 8443, path: '/a' })
  })

  it('lets an absolute-form target override the Host header (RFC 9112 3.2.2)', () => {
    const { request } = ok(input('http://a.example.com/x', { host: 'b.example.com:9999' }))
    expect(request).toMatchObject({ host: 'a.example.com', port: 80 })
  })

  it('uses the scheme the client used for the default port', () => {
    expect(ok(input('/a', { host: 'example.com' }, { scheme: 'https' })).request.port).toBe(443)
    expect(ok(input('/a', { host: 'example.com' })).request.port).toBe(80)
    expect(ok(input('http://example.com/a', {}, { scheme: 'https' })).request.port).toBe(443)
  })

  it.each([
    ['/a', {}, 'missing Host header'],
    ['/a', { host: '' }, 'missing Host header'],
    ['/a', { host: 'a b' }, 'invalid host'],
    ['/a', { host: 'a.example.com, b.example.com' }, 'invalid host'],
    ['http://exa$mple.com/', {}, 'invalid host'],
    ['http://a..b/', {}, 'invalid host'],
    ['http://-a.com/', {}, 'invalid host'],
    ['http://:80/', {}, 'invalid host'],
    ['http://./', {}, 'invalid host'],
    ['http://ex%61mple.com/', {}, 'invalid host'],
    ['http://[::1/', {}, 'invalid host'],
    ['http://[::1]x/', {}, 'invalid host'],
    ['http://[zz::1]/', {}, 'invalid host'],
    ['http://user:pw@example.com/', {}, 'userinfo'],
    ['http://example.com:0/', {}, 'invalid port'],
    ['http://example.com:65536/', {}, 'invalid port'],
    ['http://example.com:8o/', {}, 'invalid port'],
    ['*', { host: 'example.com' }, 'request target must be'],
    ['example.com:443', { host: 'example.com' }, 'request target must be'],
    ['ftp://example.com/', {}, 'request target must be'],
  ])('refuses %s %j with 400 (%s)', (url, headers, message) => {
    const result = normalizeRequest(input(url, headers))
    expect(result).toMatchObject({ ok: false, status: 400, error: expect.stringContaining(message) })
  })
})

describe('normalizeRequest: path, query, method', () => {
  it('forwards the normalised path, the matcher sees the same one', () => {
    const result = ok(input('http://example.com/a/%2e%2e//b/%7e?x=1&y=%20'))
    expect(result.path).toBe('/b/~')
    expect(result.request.path).toBe('/b/~')
    expect(result.search).toBe('?x=1&y=%20')
    expect(result.request.query.get('y')).toBe(' ')
  })

  it('treats an empty path as "/", drops a fragment and an empty query', () => {
    expect(ok(input('http://example.com')).path).toBe('/')
    expect(ok(input('http://example.com?q=1'))).toMatchObject({ path: '/', search: '?q=1' })
    expect(ok(input('http://example.com/a?#frag'))).toMatchObject({ path: '/a', search: '' })
    expect(ok(input('http://example.com/a#x?y'))).toMatchObject({ path: '/a', search: '' })
  })

  it('uppercases the method and keeps the request headers for matching', () => {
    const result = ok(input('http://example.com/', { 'X-Version': 'two' }, { method: 'patch' }))
    expect(result.request.method).toBe('PATCH')
    expect(result.request.headers.get('x-version')).toBe('two')
  })

  it.each([
    ['http://example.com/a%zz', 'malformed percent-escape'],
    ['http://example.com/a%00', 'encoded control character'],
    ['http://example.com/a\u0001', 'control character'],
    ['http://example.com/a?x=\u0000', 'control character in query'],
  ])('refuses %j with 400', (url, message) => {
    expect(normalizeRequest(input(url))).toMatchObject({ ok: false, status: 400, error: expect.stringContaining(message) })
  })

  it.each(['GE T', '', 'GET\r\n', 'G(ET'])('refuses method %j with 400', (method) => {
    expect(normalizeRequest(input('http://example.com/', {}, { method }))).toMatchObject({ ok: false, status: 400 })
  })

  it('answers 414 for a very long target and 431 for very large headers', () => {
    expect(normalizeRequest(input(`http://example.com/${'a'.repeat(MAX_TARGET_LENGTH)}`))).toMatchObject({ ok: false, status: 414 })
    expect(normalizeRequest(input(`/${'a'.repeat(MAX_TARGET_LENGTH - 1)}`, { host: 'a' })).ok).toBe(true)
    const big = { host: 'example.com', cookie: 'c'.repeat(MAX_HEADER_BYTES) }
    expect(normalizeRequest(input('/', big))).toMatchObject({ ok: false, status: 431 })
  })

  it('accepts a plain { get } header source (no size check possible)', () => {
    const headers = { get: (name: string) => (name === 'host' ? 'Example.com' : null) }
    expect(ok({ url: '/x', method: 'GET', headers }).request.host).toBe('example.com')
  })
})

describe('normalizeRequest never throws', () => {
  it('on random URLs, methods and Host headers', () => {
    const url = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.webUrl({ withQueryParameters: true, withFragments: true }),
      fc.string({ unit: 'binary' }).map((s) => `/${s}`),
      fc.string({ unit: 'binary' }).map((s) => `http://${s}`),
    )
    const host = fc.option(fc.string({ unit: 'binary' }).filter((s) => !/[\r\n\0]/.test(s)), { nil: undefined })
    fc.assert(
      fc.property(url, fc.string(), host, (u, method, h) => {
        const headers = { get: (name: string) => (name === 'host' ? (h ?? null) : null) }
        const result = normalizeRequest({ url: u, method, headers })
        if (result.ok) {
          expect(result.request.host).toBe(result.request.host.toLowerCase())
          expect(result.request.host.endsWith('.')).toBe(false)
          expect(result.request.port).toBeGreaterThanOrEqual(1)
          expect(result.request.port).toBeLessThanOrEqual(65535)
        } else {
          expect([400, 414, 431]).toContain(result.status)
        }
      }),
      { numRuns: 3000 },
    )
  })
})
