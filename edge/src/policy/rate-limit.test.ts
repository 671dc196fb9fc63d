import { describe, expect, it } from 'vitest'
import type { RateLimitPolicy } from '../route-table/types'
import { createBindingRateLimiter, createMemoryRateLimiter, rateLimitClient, type RateLimitBinding } from './rate-limit'
import { TokenBuckets } from './token-bucket'

const policy = (o: Partial<RateLimitPolicy> = {}): RateLimitPolicy => ({
  bucket: 'HTTPRoute/shop/api', requests: 2, periodSeconds: 10, burst: 2, key: { type: 'ClientAddress' }, workersBinding: null, ...o,
})

describe('rateLimitClient', () => {
  it('is the peer address; X-Forwarded-For plays no part', async () => {
    const forged = new Headers({ 'x-forwarded-for': '1.2.3.4' })
    expect(await rateLimitClient(policy(), '203.0.113.7', forged)).toBe('address:203.0.113.7')
    expect(await rateLimitClient(policy(), null, forged)).toBe('address:unknown')
  })

  it('is a hash of the header value for a header key, and the address when the header is missing', async () => {
    const byKey = policy({ key: { type: 'Header', name: 'x-api-key' } })
    const client = await rateLimitClient(byKey, '203.0.113.7', new Headers({ 'x-api-key': 'secret-key-1' }))
    expect(client).toMatch(/^header:[0-9a-f]{32}$/)
    expect(client).not.toContain('secret')
    expect(await rateLimitClient(byKey, '203.0.113.7', new Headers({ 'x-api-key': 'secret-key-2' }))).not.toBe(client)
    expect(await rateLimitClient(byKey, '203.0.113.7', new Headers())).toBe('address:203.0.113.7')
  })
})

describe('createMemoryRateLimiter', () => {
  it('counts per bucket and client, with Retry-After in whole seconds', () => {
    let t = 0
    const limiter = createMemoryRateLimiter(new TokenBuckets(100, () => t))
    expect(limiter.take(policy(), 'a')).toEqual({ allowed: true, retryAfterSeconds: 0 })
    expect(limiter.take(policy(), 'a')).toEqual({ allowed: true, retryAfterSeconds: 0 })
    expect(limiter.take(policy(), 'a')).toEqual({ allowed: false, retryAfterSeconds: 5 })
    expect(limiter.take(policy(), 'b').allowed).toBe(true)
    expect(limiter.take(policy({ bucket: 'HTTPRoute/shop/other' }), 'a').allowed).toBe(true)
    t += 5000
    expect(limiter.take(policy(), 'a').allowed).toBe(true)
  })
})

describe('createBindingRateLimiter', () => {
  const refusing: RateLimitBinding = { limit: async () => ({ success: false }) }
  const broken: RateLimitBinding = { limit: async () => { throw new Error('binding down') } }
  const memory = () => createMemoryRateLimiter(new TokenBuckets(100, () => 0))

  it('uses the binding the policy names when the isolate has it', async () => {
    const limiter = createBindingRateLimiter((name) => (name === 'API_LIMIT' ? refusing : undefined), memory(), () => {})
    expect(await limiter.take(policy({ workersBinding: 'API_LIMIT' }), 'a')).toEqual({ allowed: false, retryAfterSeconds: 10 })
    // No such binding, or none named: the in-memory bucket counts.
    expect((await limiter.take(policy({ workersBinding: 'OTHER' }), 'a')).allowed).toBe(true)
    expect((await limiter.take(policy(), 'a')).allowed).toBe(true)
  })

  it('falls back to memory when the binding fails, and says so', async () => {
    const errors: unknown[] = []
    const limiter = createBindingRateLimiter(() => broken, memory(), (e) => errors.push(e))
    expect((await limiter.take(policy({ workersBinding: 'API_LIMIT' }), 'a')).allowed).toBe(true)
    expect(errors).toHaveLength(1)
  })
})
