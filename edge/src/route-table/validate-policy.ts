// Checks of the API-gateway policy filters (RateLimit, Authentication) beyond their shape.
// The JWKS URL is the one address outside the table's gateways that the edge ever contacts,
// so it is held to https (plain http only on loopback, for a local issuer or a sidecar).
import { problem, type Problem } from './shape'
import { isToken } from './syntax'
import type { AuthenticationPolicy, RateLimitPolicy } from './types'

const BINDING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const SHA256_HEX = /^[0-9a-f]{64}$/
const LOOPBACK_HOSTS = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/

const isLowercaseToken = (name: string) => isToken(name) && name === name.toLowerCase()

export function checkRateLimit(limit: RateLimitPolicy): Problem | null {
  if (limit.key.type === 'Header' && !isLowercaseToken(limit.key.name)) return problem(['key', 'name'], `invalid header name "${limit.key.name}" (a lowercase token)`)
  if (limit.workersBinding !== null && !BINDING_NAME.test(limit.workersBinding)) {
    return problem(['workersBinding'], `invalid binding name "${limit.workersBinding}" (letters, digits and _)`)
  }
  return null
}

export function checkAuthentication(auth: AuthenticationPolicy): Problem | null {
  if (auth.apiKey === null && auth.jwt === null) return problem([], 'an Authentication filter needs apiKey, jwt or both')
  if (/["\\\u0000-\u001f]/.test(auth.realm)) return problem(['realm'], 'realm must not contain quotes, backslashes or control characters')
  if (auth.apiKey !== null) {
    const { header, keys } = auth.apiKey
    if (!isLowercaseToken(header)) return problem(['apiKey', 'header'], `invalid header name "${header}" (a lowercase token)`)
    if (header === 'authorization' && auth.jwt !== null) return problem(['apiKey', 'header'], 'the API key header must differ from Authorization when JWTs are accepted too')
    for (let i = 0; i < keys.length; i++) {
      if (!SHA256_HEX.test(keys[i]!.sha256)) return problem(['apiKey', 'keys', i, 'sha256'], 'not a SHA-256 digest (64 lowercase hex digits)')
    }
  }
  if (auth.jwt !== null) {
    const found = checkJwksUrl(auth.jwt.jwksUrl)
    if (found) return problem(['jwt', 'jwksUrl'], found)
  }
  return null
}

/** Null when `url` may be fetched for signing keys, else why not. */
export function checkJwksUrl(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return `"${url}" is not an absolute URL`
  }
  if (parsed.username || parsed.password) return 'the JWKS URL must not carry credentials'
  if (parsed.protocol === 'https:') return null
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.test(parsed.hostname)) return null
  return `the JWKS URL must use https (http only on a loopback address), got "${url}"`
}
