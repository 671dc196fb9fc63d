// The policy steps on plain web Requests, with an in-memory key set and clock-free buckets; the
// runtimes run the same code against a JWKS served over HTTP (test/integration/edge/api-gateway.test.ts).
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import type { ForwardPlan, UpstreamTarget } from '../dispatch/types'
import { silentLogger } from '../observability/logger'
import { sha256Hex } from '../route-table/sha256'
import type { AuthenticationPolicy, RateLimitPolicy } from '../route-table/types'
import { PolicyEnforcer } from './enforce'
import { JwtVerifier } from './jwt'

const target = (): UpstreamTarget => ({
  backend: { gateway: 'gw', weight: 1, service: { namespace: 'n', name: 's', port: 80 }, filters: [] },
  gateway: { id: 'gw', cluster: 'c', address: '127.0.0.1', port: 1, protocol: 'http' },
  upstream: { method: 'GET', url: 'http://127.0.0.1:1/', host: 'h', path: '/', headers: new Headers({ 'x-api-key': 'k1', accept: '*/*' }) },
  responseHeaderModifiers: [],
})
function plan(policy: Partial<ForwardPlan['policy']>): ForwardPlan {
  return {
    kind: 'forward', routeId: 'r', route: null, ...target(), failover: [target()],
    policy: { rateLimit: null, authentication: null, maxBodyBytes: null, ...policy },
    responseHeaders: [['access-control-allow-origin', 'https://app.example'], ['vary', 'Origin']],
    mirrors: [], timeouts: { requestMs: 1000, backendMs: null }, retry: null, reason: '',
  }
}

let signingKey: CryptoKey
let otherKey: CryptoKey
let jwks: { keys: JWK[] }
const ISSUER = 'https://issuer.test'

async function token(o: { audience?: string; issuer?: string; expiresIn?: string; key?: CryptoKey; alg?: string } = {}) {
  return new SignJWT({ scope: 'orders' })
    .setProtectedHeader({ alg: o.alg ?? 'ES256', kid: 'k1' })
    .setIssuer(o.issuer ?? ISSUER)
    .setAudience(o.audience ?? 'shop')
    .setIssuedAt()
    .setExpirationTime(o.expiresIn ?? '5m')
    .sign(o.key ?? signingKey)
}

let auth: AuthenticationPolicy
beforeAll(async () => {
  const pair = await generateKeyPair('ES256')
  signingKey = pair.privateKey
  otherKey = (await generateKeyPair('ES256')).privateKey
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] }
  auth = {
    realm: 'shop',
    apiKey: { header: 'x-api-key', keys: [{ name: 'ci', sha256: await sha256Hex('k1') }] },
    jwt: { issuer: ISSUER, audiences: ['shop'], jwksUrl: 'https://issuer.test/jwks', algorithms: ['ES256', 'RS256'], clockSkewSeconds: 0, jwksCacheSeconds: 300 },
  }
})

const enforcer = () => new PolicyEnforcer({ logger: silentLogger, jwt: new JwtVerifier(() => createLocalJWKSet(jwks)) })
const check = (e: PolicyEnforcer, p: ForwardPlan, headers: Record<string, string>, address = '192.0.2.1') => e.check(p, new Headers(headers), { address }, 'rid')
async function refusal(outcome: Awaited<ReturnType<typeof check>>) {
  expect(outcome.allowed).toBe(false)
  const response = (outcome as { response: Response }).response
  return { status: response.status, headers: response.headers, body: (await response.json()) as { error: string; status: number; requestId: string } }
}

describe('PolicyEnforcer: authentication', () => {
  it('accepts a known API key, names it in the log and removes it from every upstream request', async () => {
    const p = plan({ authentication: auth })
    const outcome = await check(enforcer(), p, { 'x-api-key': 'k1' })
    expect(outcome).toEqual({ allowed: true, log: { authenticated: 'api-key ci' } })
    expect(p.upstream.headers.has('x-api-key')).toBe(false)
    expect(p.failover[0]!.upstream.headers.has('x-api-key')).toBe(false)
  })

  it('refuses a missing or unknown key with 401, both challenges, a JSON body and the CORS headers; never echoes the key', async () => {
    const missing = await refusal(await check(enforcer(), plan({ authentication: auth }), {}))
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('APIKey realm="shop", header="x-api-key", Bearer realm="shop"')
    expect(missing.headers.get('access-control-allow-origin')).toBe('https://app.example')
    expect(missing.body).toEqual({ status: 401, requestId: 'rid', error: 'authentication required: send an API key in x-api-key or a bearer token in Authorization' })
    const wrong = await refusal(await check(enforcer(), plan({ authentication: auth }), { 'x-api-key': 'guessed-key-123' }))
    expect(wrong.status).toBe(401)
    expect(JSON.stringify(wrong.body)).not.toContain('guessed-key-123')
  })

  it('accepts a valid JWT signed by a JWKS key, for the audience, from the issuer', async () => {
    expect(await check(enforcer(), plan({ authentication: auth }), { authorization: `Bearer ${await token()}` })).toEqual({ allowed: true, log: { authenticated: 'jwt' } })
  })

  it.each([
    ['expired', () => token({ expiresIn: '-1m' }), /"exp" claim timestamp check failed/],
    ['for another audience', () => token({ audience: 'billing' }), /unexpected "aud" claim value/],
    ['from another issuer', () => token({ issuer: 'https://evil.test' }), /unexpected "iss" claim value/],
    ['signed by another key', () => token({ key: otherKey }), /signature verification failed/],
  ])('refuses a token %s with 401 and an invalid_token challenge', async (_what, make, reason) => {
    const r = await refusal(await check(enforcer(), plan({ authentication: { ...auth, apiKey: null } }), { authorization: `Bearer ${await make()}` }))
    expect(r.status).toBe(401)
    expect(r.body.error).toMatch(reason)
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="shop", error="invalid_token", error_description="the bearer token is not valid: [^"]+"$/)
  })

  it('refuses an algorithm the policy does not allow', async () => {
    const rsOnly = { ...auth, apiKey: null, jwt: { ...auth.jwt!, algorithms: ['RS256' as const] } }
    const r = await refusal(await check(enforcer(), plan({ authentication: rsOnly }), { authorization: `Bearer ${await token()}` }))
    expect(r.status).toBe(401)
  })

  it('answers 503 when the signing keys cannot be fetched (a token cannot be judged)', async () => {
    const down = new PolicyEnforcer({ logger: silentLogger, jwt: new JwtVerifier(() => async () => { throw new TypeError('fetch failed') }) })
    const r = await refusal(await check(down, plan({ authentication: { ...auth, apiKey: null } }), { authorization: `Bearer ${await token()}` }))
    expect(r.status).toBe(503)
    expect(r.body.error).toContain('cannot get the signing keys from https://issuer.test/jwks')
  })
})

describe('PolicyEnforcer: rate limit and body size', () => {
  const limit: RateLimitPolicy = { bucket: 'HTTPRoute/shop/api', requests: 2, periodSeconds: 60, burst: 2, key: { type: 'ClientAddress' }, workersBinding: null }

  it('answers 429 with Retry-After and JSON once the client has spent its burst; other clients are not affected', async () => {
    const e = enforcer()
    for (let i = 0; i < 2; i++) expect((await check(e, plan({ rateLimit: limit }), {})).allowed).toBe(true)
    const r = await refusal(await check(e, plan({ rateLimit: limit }), { 'x-forwarded-for': '198.51.100.1' }))
    expect(r.status).toBe(429)
    expect(r.headers.get('retry-after')).toBe('30')
    expect(r.body.error).toBe('rate limit exceeded: 2 requests per 60 s; retry in 30 s')
    expect((await check(e, plan({ rateLimit: limit }), {}, '192.0.2.2')).allowed).toBe(true)
  })

  it('does not spend tokens on requests that fail authentication', async () => {
    const e = enforcer()
    for (let i = 0; i < 5; i++) expect((await refusal(await check(e, plan({ rateLimit: limit, authentication: auth }), {}))).status).toBe(401)
    expect((await check(e, plan({ rateLimit: limit, authentication: auth }), { 'x-api-key': 'k1' })).allowed).toBe(true)
  })

  it('answers 413 when the declared body is over the limit', async () => {
    const r = await refusal(await check(enforcer(), plan({ maxBodyBytes: 10 }), { 'content-length': '11' }))
    expect(r.status).toBe(413)
    expect(r.body.error).toBe('the request body is larger than 10 bytes')
    expect((await check(enforcer(), plan({ maxBodyBytes: 10 }), { 'content-length': '10' })).allowed).toBe(true)
  })
})
