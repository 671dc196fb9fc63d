// The policy filters through the real parser: what a table may carry and the path of each refusal.
import { describe, expect, it } from 'vitest'
import { route, table } from '../../../test/spec-cases/builder'
import { parseRouteTable } from './parse'
import type { Filter } from './types'

const HASH = 'ab'.repeat(32)
const rateLimit: Filter = { type: 'RateLimit', bucket: 'HTTPRoute/shop/api', requests: 100, periodSeconds: 60, burst: 20, key: { type: 'Header', name: 'x-tenant' }, workersBinding: 'API_LIMIT' }
const auth: Filter = {
  type: 'Authentication',
  realm: 'shop',
  apiKey: { header: 'x-api-key', keys: [{ name: 'ci', sha256: HASH }] },
  jwt: { issuer: 'https://id.example.com', audiences: ['shop'], jwksUrl: 'https://id.example.com/jwks.json', algorithms: ['RS256', 'ES256'], clockSkewSeconds: 60, jwksCacheSeconds: 300 },
}
const parse = (...filters: Filter[]) => parseRouteTable(JSON.parse(JSON.stringify(table({ 'shop.example.com': [route({ object: 'shop/api', filters })] }))))
const refusal = (...filters: Filter[]) => {
  const result = parse(...filters)
  return result.ok ? null : result.error
}
const at = '$.hosts[0].routes[0].action.filters'

describe('policy filters in the route table', () => {
  it('accepts a rate limit, authentication and a body limit together, and an origin of any host', () => {
    expect(refusal(rateLimit, auth, { type: 'RequestBodyLimit', maxBytes: 1_048_576 })).toBeNull()
    const cors: Filter = { type: 'CORS', allowOrigins: ['https://*', 'http://*:8080', 'https://*.example.com'], allowMethods: [], allowHeaders: [], exposeHeaders: [], allowCredentials: false, maxAgeSeconds: 5 }
    expect(refusal(cors)).toBeNull()
  })

  it.each([
    ['a key that is not a SHA-256 digest', { ...auth, apiKey: { header: 'x-api-key', keys: [{ name: 'ci', sha256: 'plain-text-key' }] } }, `${at}[0].apiKey.keys[0].sha256`],
    ['a JWKS URL over plain http to another host', { ...auth, jwt: { ...(auth as { jwt: object }).jwt, jwksUrl: 'http://169.254.169.254/jwks' } }, `${at}[0].jwt.jwksUrl`],
    ['no method at all', { ...auth, apiKey: null, jwt: null }, at + '[0]'],
    ['a JWT without an audience', { ...auth, jwt: { ...(auth as { jwt: object }).jwt, audiences: [] } }, `${at}[0].jwt.audiences`],
    ['an algorithm other than RS256/ES256', { ...auth, jwt: { ...(auth as { jwt: object }).jwt, algorithms: ['HS256'] } }, `${at}[0].jwt.algorithms[0]`],
    ['a rate limit of zero', { ...rateLimit, requests: 0 }, `${at}[0].requests`],
    ['a header key that is not a lowercase token', { ...rateLimit, key: { type: 'Header', name: 'X Tenant' } }, `${at}[0].key.name`],
    ['a binding name with a dash', { ...rateLimit, workersBinding: 'api-limit' }, `${at}[0].workersBinding`],
  ] as [string, Filter, string][])('refuses %s', (_what, filter, path) => {
    expect(refusal(filter)?.path).toBe(path)
  })

  it('accepts http JWKS URLs on loopback only (a local issuer or a sidecar)', () => {
    const local = (jwksUrl: string) => refusal({ ...auth, jwt: { ...(auth as { jwt: object }).jwt, jwksUrl } } as Filter)
    expect(local('http://127.0.0.1:8080/jwks')).toBeNull()
    expect(local('http://localhost/jwks')).toBeNull()
    expect(local('http://10.0.0.1/jwks')?.message).toMatch(/must use https/)
    expect(local('https://user:pw@id.example.com/jwks')?.message).toMatch(/credentials/)
  })

  it('refuses a policy filter twice in one list', () => {
    expect(refusal(rateLimit, rateLimit)?.message).toBe('RateLimit filter must not be repeated')
  })
})
