import { describe, expect, it } from 'vitest'
import { buildUpstreamHeaders, type ForwardingContext } from './upstream-headers'
import { resolveRequestId } from './request-id'
import { applyHeaderModifier } from './header-modifier'

const context: ForwardingContext = { host: 'app.example.com', clientHost: 'app.example.com', scheme: 'https', clientAddress: '203.0.113.7', requestId: 'req-1' }

describe('buildUpstreamHeaders', () => {
  it('drops hop-by-hop headers, Proxy-* and those named in Connection', () => {
    const headers = buildUpstreamHeaders(
      new Headers({
        connection: 'keep-alive, x-secret-hop',
        'keep-alive': 'timeout=5',
        'x-secret-hop': '1',
        te: 'trailers',
        trailer: 'x-checksum',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        'proxy-authorization': 'Basic abc',
        'proxy-connection': 'keep-alive',
        accept: 'text/html',
      }),
      context,
    )
    expect([...headers.keys()].sort()).toEqual(['accept', 'host', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-request-id'])
  })

  it('keeps a WebSocket upgrade', () => {
    const headers = buildUpstreamHeaders(new Headers({ connection: 'keep-alive, Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' }), context)
    expect(headers.get('upgrade')).toBe('websocket')
    expect(headers.get('connection')).toBe('upgrade')
    expect(headers.get('sec-websocket-key')).toBe('k')
  })

  it('appends the client to X-Forwarded-For and overwrites -Proto and -Host', () => {
    const headers = buildUpstreamHeaders(
      new Headers({ 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'gopher', 'x-forwarded-host': 'evil.example', host: 'other' }),
      context,
    )
    expect(headers.get('x-forwarded-for')).toBe('198.51.100.1, 203.0.113.7')
    expect(headers.get('x-forwarded-proto')).toBe('https')
    expect(headers.get('x-forwarded-host')).toBe('app.example.com')
    expect(headers.get('host')).toBe('app.example.com')
  })

  it('passes traceparent and drops Expect', () => {
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    const headers = buildUpstreamHeaders(new Headers({ traceparent: tp, expect: '100-continue' }), context)
    expect(headers.get('traceparent')).toBe(tp)
    expect(headers.has('expect')).toBe(false)
  })
})

describe('resolveRequestId', () => {
  it('keeps a well-formed incoming id', () => {
    expect(resolveRequestId('abc-123_x.y', () => 'new')).toBe('abc-123_x.y')
  })
  it.each(['', 'has space', 'x'.repeat(129), 'line\nbreak', '<script>'])('replaces %j', (bad) => {
    expect(resolveRequestId(bad, () => 'new')).toBe('new')
  })
  it('generates one when absent', () => {
    expect(resolveRequestId(null, () => 'new')).toBe('new')
  })
})

describe('applyHeaderModifier: conformance HTTPRouteRequestHeaderModifier', () => {
  it('sets, appends and removes, case-insensitively', () => {
    const headers = new Headers({ 'X-Header-Set': 'original', 'X-Header-Add-Append': 'append-val-1', 'X-Header-Remove': 'gone' })
    applyHeaderModifier(headers, {
      set: [{ name: 'X-Header-Set', value: 'set-overwrites-values' }],
      add: [{ name: 'X-Header-Add', value: 'header-val-1' }, { name: 'x-header-add-append', value: 'header-val-2' }],
      remove: ['x-header-remove'],
    })
    expect(headers.get('x-header-set')).toBe('set-overwrites-values')
    expect(headers.get('x-header-add')).toBe('header-val-1')
    // One field line: a Go backend (the conformance echo server) reads it as the suite expects.
    expect(headers.get('x-header-add-append')).toBe('append-val-1,header-val-2')
    expect(headers.has('x-header-remove')).toBe(false)
  })

  it('never merges Set-Cookie lines, and joins Cookie pairs with "; "', () => {
    const headers = new Headers([['set-cookie', 'a=1'], ['cookie', 'x=1']])
    applyHeaderModifier(headers, { set: [], add: [{ name: 'Set-Cookie', value: 'b=2' }, { name: 'Cookie', value: 'y=2' }], remove: [] })
    expect(headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(headers.get('cookie')).toBe('x=1; y=2')
  })
})
