// Gateway API HTTPCORSFilter: the edge answers preflights itself and adds CORS headers to
// responses for allowed origins. An allowed origin is always echoed (never `*`): that is valid
// with or without credentials, and `Vary: Origin` keeps caches honest.
import type { CorsPolicy } from '../route-table/types'

const defaultPorts: Record<string, string> = { 'http:': '80', 'https:': '443' }

interface Origin {
  scheme: string
  host: string
  port: string
}

function parseOrigin(value: string): Origin | null {
  const m = /^(https?):\/\/([^/:]+)(?::(\d{1,5}))?$/i.exec(value.trim())
  if (!m) return null
  const scheme = `${m[1]!.toLowerCase()}:`
  return { scheme, host: m[2]!.toLowerCase(), port: m[3] ?? defaultPorts[scheme]! }
}

/** A host starting with `*` matches any labels to its left; a missing port is the scheme's default. */
function originAllowed(origin: Origin, allowed: readonly string[]): boolean {
  return allowed.some((pattern) => {
    const p = parseOrigin(pattern)
    if (p === null || p.scheme !== origin.scheme || p.port !== origin.port) return false
    if (!p.host.startsWith('*')) return p.host === origin.host
    const suffix = p.host.slice(1)
    return origin.host.length > suffix.length && origin.host.endsWith(suffix)
  })
}

function allowedOrigin(policy: CorsPolicy, headers: Headers): string | null {
  const value = headers.get('origin')
  if (value === null) return null
  if (policy.allowOrigins.includes('*')) return value.trim()
  const origin = parseOrigin(value)
  return origin !== null && originAllowed(origin, policy.allowOrigins) ? value.trim() : null
}

export function isPreflight(method: string, headers: Headers): boolean {
  return method === 'OPTIONS' && headers.has('origin') && headers.has('access-control-request-method')
}

function exposeHeaders(policy: CorsPolicy): [string, string][] {
  if (policy.exposeHeaders.includes('*')) return policy.allowCredentials ? [] : [['access-control-expose-headers', '*']]
  return policy.exposeHeaders.length > 0 ? [['access-control-expose-headers', policy.exposeHeaders.join(', ')]] : []
}

function common(policy: CorsPolicy, origin: string): [string, string][] {
  const out: [string, string][] = [['access-control-allow-origin', origin], ['vary', 'Origin']]
  if (policy.allowCredentials) out.push(['access-control-allow-credentials', 'true'])
  return [...out, ...exposeHeaders(policy)]
}

/** Headers of the edge's own answer to a preflight; empty when the origin is not allowed. */
export function preflightHeaders(policy: CorsPolicy, headers: Headers): [string, string][] {
  const origin = allowedOrigin(policy, headers)
  if (origin === null) return []
  const out = common(policy, origin)
  const requestedMethod = headers.get('access-control-request-method')
  if (policy.allowMethods.includes('*')) {
    // Echoing the requested method is what the spec requires with credentials and allows without.
    if (requestedMethod !== null) out.push(['access-control-allow-methods', requestedMethod])
  } else if (policy.allowMethods.length > 0) {
    out.push(['access-control-allow-methods', policy.allowMethods.join(', ')])
  }
  const requestedHeaders = headers.get('access-control-request-headers')
  if (policy.allowHeaders.includes('*')) {
    if (requestedHeaders !== null) out.push(['access-control-allow-headers', requestedHeaders])
  } else if (policy.allowHeaders.length > 0) {
    out.push(['access-control-allow-headers', policy.allowHeaders.join(', ')])
  }
  out.push(['access-control-max-age', String(policy.maxAgeSeconds)])
  return out
}

/** Headers added to the upstream response of an actual (non-preflight) cross-origin request. */
export function responseCorsHeaders(policy: CorsPolicy, headers: Headers): [string, string][] {
  const origin = allowedOrigin(policy, headers)
  return origin === null ? [] : common(policy, origin)
}
