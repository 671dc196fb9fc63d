// Request normalisation (docs/matching.md, ADR 0101): the one form of a request that the
// matcher sees and that the edge forwards, so a backend never receives something its rule did
// not match. Pure: no runtime API beyond the Headers-like `get`.
import type { MatchRequest } from './match-types'
import { normalizePath } from './normalize-path'
import { isIPv4, isIPv6, isToken } from './syntax'

/** Longest request URL accepted (target, or absolute URL); longer answers 414, as nginx's 8k buffer does. */
export const MAX_TARGET_LENGTH = 8192
/** Largest total of header names and values accepted; larger answers 431. */
export const MAX_HEADER_BYTES = 32 * 1024

type HeaderSource = Headers | { get(name: string): string | null }

export interface NormalizeInput {
  /** The request target: origin-form (`/p?q`) or absolute-form (`http://host/p?q`, e.g. a web Request's url). */
  url: string
  method: string
  headers: HeaderSource
  /** How the client reached the edge; default: the absolute URL's scheme, else http. */
  scheme?: 'http' | 'https'
}

export type NormalizeResult =
  | { ok: true; request: MatchRequest; path: string; search: string }
  | { ok: false; status: 400 | 414 | 431; error: string }

const bad = (error: string): NormalizeResult => ({ ok: false, status: 400, error })
const ABSOLUTE = /^(https?):\/\/([^/?#]*)(.*)$/is
// Query bytes that never appear in a well-formed target: control characters.
const QUERY_CONTROL = /[\u0000-\u001f\u007f]/

export function normalizeRequest(input: NormalizeInput): NormalizeResult {
  if (input.url.length > MAX_TARGET_LENGTH) return { ok: false, status: 414, error: `request target longer than ${MAX_TARGET_LENGTH} characters` }
  const method = input.method.toUpperCase()
  if (!isToken(method)) return bad(`invalid method "${input.method.slice(0, 32)}"`)
  if (headerBytes(input.headers) > MAX_HEADER_BYTES) {
    return { ok: false, status: 431, error: `request headers larger than ${MAX_HEADER_BYTES} bytes` }
  }
  const target = splitTarget(input.url, input.headers)
  if (typeof target === 'string') return bad(target)
  const scheme = input.scheme ?? target.scheme ?? 'http'
  const authority = parseAuthority(target.authority, scheme)
  if (typeof authority === 'string') return bad(authority)

  const hash = target.rest.indexOf('#')
  const pathAndQuery = hash < 0 ? target.rest : target.rest.slice(0, hash)
  const mark = pathAndQuery.indexOf('?')
  const rawPath = (mark < 0 ? pathAndQuery : pathAndQuery.slice(0, mark)) || '/'
  const query = mark < 0 ? '' : pathAndQuery.slice(mark + 1)
  const path = normalizePath(rawPath)
  if (!path.ok) return bad(`invalid path: ${path.error}`)
  if (QUERY_CONTROL.test(query)) return bad('control character in query')
  const search = query === '' ? '' : `?${query}`
  return {
    ok: true,
    request: { host: authority.host, port: authority.port, path: path.path, method, headers: input.headers, query: new URLSearchParams(search) },
    path: path.path,
    search,
  }
}

/**
 * RFC 9112 3.2.2: an absolute-form target's authority wins over Host; an origin-form target
 * takes Host. Anything else (asterisk-form, authority-form) is not routable here.
 */
function splitTarget(url: string, headers: HeaderSource): { scheme: 'http' | 'https' | null; authority: string; rest: string } | string {
  if (url.startsWith('/')) {
    const host = headers.get('host')
    if (host === null || host === '') return 'missing Host header'
    return { scheme: null, authority: host, rest: url }
  }
  const absolute = ABSOLUTE.exec(url)
  if (!absolute) return 'request target must be a path or an absolute http(s) URL'
  return { scheme: absolute[1]!.toLowerCase() as 'http' | 'https', authority: absolute[2]!, rest: absolute[3]! }
}

const REG_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/

/** Lowercase host without port or trailing dot, and the port (absent: the scheme's default). */
function parseAuthority(authority: string, scheme: 'http' | 'https'): { host: string; port: number } | string {
  if (authority.includes('@')) return 'userinfo in the request target is not allowed'
  let host: string
  let portText: string
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']')
    if (close < 0 || !isIPv6(authority.slice(1, close))) return `invalid host "${authority.slice(0, 64)}"`
    host = authority.slice(0, close + 1)
    const after = authority.slice(close + 1)
    if (after !== '' && !after.startsWith(':')) return `invalid host "${authority.slice(0, 64)}"`
    portText = after.slice(1)
  } else {
    const colon = authority.lastIndexOf(':')
    host = colon < 0 ? authority : authority.slice(0, colon)
    portText = colon < 0 ? '' : authority.slice(colon + 1)
  }
  host = host.toLowerCase()
  if (host.endsWith('.') && !host.startsWith('[')) host = host.slice(0, -1)
  if (host.length === 0 || host.length > 253) return `invalid host "${authority.slice(0, 64)}"`
  if (!host.startsWith('[') && !isIPv4(host) && !REG_NAME.test(host)) return `invalid host "${authority.slice(0, 64)}"`
  if (portText === '') return { host, port: scheme === 'https' ? 443 : 80 }
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : 0
  if (port < 1 || port > 65535) return `invalid port "${portText.slice(0, 16)}"`
  return { host, port }
}

/** Total size of names and values; 0 when the source cannot be enumerated. */
function headerBytes(headers: HeaderSource): number {
  if (!('forEach' in headers) || typeof headers.forEach !== 'function') return 0
  let total = 0
  headers.forEach((value, name) => {
    total += name.length + value.length
  })
  return total
}
