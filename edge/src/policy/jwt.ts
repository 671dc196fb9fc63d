// JWT authentication with jose: a Bearer token signed by a key of the policy's JWKS (fetched
// over https and cached for the policy's TTL; an unknown `kid` refetches at most every 30 s),
// issued by the policy's issuer for one of its audiences, within the clock skew.
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose'
import type { JwtAuthentication } from '../route-table/types'

export type JwtResult =
  | { ok: true }
  /** missing: no Bearer token; invalid: a token that does not verify; unavailable: the signing keys could not be fetched. */
  | { ok: false; reason: 'missing' | 'invalid' | 'unavailable'; detail: string }

export type KeySetFactory = (url: URL, cacheSeconds: number) => JWTVerifyGetKey

const remoteKeySet: KeySetFactory = (url, cacheSeconds) => createRemoteJWKSet(url, { cacheMaxAge: cacheSeconds * 1000, cooldownDuration: 30_000, timeoutDuration: 5_000 })

/** Codes of jose errors that mean the token is bad, as opposed to the JWKS being unreachable or broken. */
const TOKEN_ERRORS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
])

export function bearerToken(headers: Headers): string | null {
  const value = headers.get('authorization')
  const match = value === null ? null : /^Bearer[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i.exec(value)
  return match ? match[1]! : null
}

/** One key set per JWKS URL and TTL for the life of the edge instance, so the cache outlives table reloads. */
export class JwtVerifier {
  private readonly keySets = new Map<string, JWTVerifyGetKey>()

  constructor(private readonly keySetFor: KeySetFactory = remoteKeySet) {}

  async verify(policy: JwtAuthentication, headers: Headers): Promise<JwtResult> {
    const token = bearerToken(headers)
    if (token === null) return { ok: false, reason: 'missing', detail: 'no Bearer token' }
    try {
      await jwtVerify(token, this.keySet(policy), {
        issuer: policy.issuer,
        audience: policy.audiences,
        algorithms: policy.algorithms,
        clockTolerance: policy.clockSkewSeconds,
      })
      return { ok: true }
    } catch (error) {
      const code = (error as { code?: unknown }).code
      if (typeof code === 'string' && TOKEN_ERRORS.has(code)) return { ok: false, reason: 'invalid', detail: describe(error) }
      return { ok: false, reason: 'unavailable', detail: `cannot get the signing keys from ${policy.jwksUrl}: ${describe(error)}` }
    }
  }

  private keySet(policy: JwtAuthentication): JWTVerifyGetKey {
    const key = `${policy.jwksCacheSeconds} ${policy.jwksUrl}`
    let keySet = this.keySets.get(key)
    if (keySet === undefined) this.keySets.set(key, (keySet = this.keySetFor(new URL(policy.jwksUrl), policy.jwksCacheSeconds)))
    return keySet
  }
}

/** jose's messages name the failed check ("exp" claim timestamp check failed); never the token. */
const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 200)
