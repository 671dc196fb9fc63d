import { describe, expect, it } from 'vitest'
import type { Filter } from '../route-table/types'
import { redirectLocation, type RedirectRequest } from './redirect'

type RedirectFilter = Extract<Filter, { type: 'RequestRedirect' }>
const filter = (f: Partial<RedirectFilter>): RedirectFilter => ({
  type: 'RequestRedirect', scheme: null, hostname: null, port: null, path: null, statusCode: 302, ...f,
})
const on = (scheme: 'http' | 'https', port: number, path = '/p', search = ''): RedirectRequest => ({ scheme, host: 'example.org', port, path, search })

describe('redirectLocation: conformance HTTPRouteRedirectPortAndScheme', () => {
  it.each([
    // listener on 80 (http)
    ['http', 80, null, null, 'http://example.org/p'],
    ['http', 80, null, 80, 'http://example.org/p'],
    ['http', 80, null, 8080, 'http://example.org:8080/p'],
    ['http', 80, 'https', null, 'https://example.org/p'],
    ['http', 80, 'https', 443, 'https://example.org/p'],
    ['http', 80, 'https', 8443, 'https://example.org:8443/p'],
    // listener on 8080 (http)
    ['http', 8080, null, null, 'http://example.org:8080/p'],
    ['http', 8080, null, 80, 'http://example.org/p'],
    ['http', 8080, 'https', null, 'https://example.org/p'],
    // listener on 443 (https)
    ['https', 443, null, null, 'https://example.org/p'],
    ['https', 443, null, 443, 'https://example.org/p'],
    ['https', 443, null, 8443, 'https://example.org:8443/p'],
    ['https', 443, 'http', null, 'http://example.org/p'],
    ['https', 443, 'http', 80, 'http://example.org/p'],
    ['https', 443, 'http', 8080, 'http://example.org:8080/p'],
  ] as const)('%s listener :%d, scheme %s, port %s -> %s', (listenerScheme, listenerPort, scheme, port, expected) => {
    expect(redirectLocation(filter({ scheme, port }), on(listenerScheme, listenerPort), '/')).toBe(expected)
  })
})

describe('redirectLocation: hostname and path (conformance HTTPRouteRedirectHostAndStatus, HTTPRouteRedirectPath)', () => {
  it('replaces the hostname and keeps the path and query', () => {
    expect(redirectLocation(filter({ hostname: 'example.net' }), on('http', 80, '/hostname-redirect', '?a=1'), '/hostname-redirect')).toBe(
      'http://example.net/hostname-redirect?a=1',
    )
  })

  it('ReplacePrefixMatch swaps the matched prefix', () => {
    const f = filter({ path: { type: 'ReplacePrefixMatch', value: '/replacement-prefix' } })
    expect(redirectLocation(f, on('http', 80, '/original-prefix/lemon'), '/original-prefix')).toBe('http://example.org/replacement-prefix/lemon')
  })

  it('ReplaceFullPath replaces the whole path', () => {
    const f = filter({ path: { type: 'ReplaceFullPath', value: '/replacement-full' } })
    expect(redirectLocation(f, on('http', 80, '/full/path/original'), '/full')).toBe('http://example.org/replacement-full')
  })

  it('combines scheme, hostname, port and path', () => {
    const f = filter({ scheme: 'https', hostname: 'example.net', port: 8443, path: { type: 'ReplaceFullPath', value: '/x' } })
    expect(redirectLocation(f, on('http', 80, '/y', '?q'), '/')).toBe('https://example.net:8443/x?q')
  })
})
