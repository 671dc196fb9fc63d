// Rate limiting per route and client (EdgePolicy rateLimit): which client a request counts for,
// and the counters. The client is the runtime's own view of the peer address (docs/api-gateway.md:
// never X-Forwarded-For, which any client can write), or a header's value when the policy says
// so. Header values are hashed before they become keys: they may be credentials.
import type { RateLimitPolicy } from '../route-table/types'
import { sha256Hex } from '../route-table/sha256'
import { TokenBuckets } from './token-bucket'

export interface RateDecision {
  allowed: boolean
  /** When refused: whole seconds to wait (Retry-After), at least 1. */
  retryAfterSeconds: number
}

export interface RateLimiter {
  take(policy: RateLimitPolicy, client: string): Promise<RateDecision> | RateDecision
}

/** The Workers Rate Limiting binding (`env.NAME.limit({ key })`), as the edge uses it. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>
}

/** The client a request counts for: the header's value (hashed) when set and present, else the peer address. */
export async function rateLimitClient(policy: RateLimitPolicy, address: string | null, headers: Headers): Promise<string> {
  if (policy.key.type === 'Header') {
    const value = headers.get(policy.key.name)
    // A missing header does not escape the limit: the request counts for its address instead.
    if (value !== null && value !== '') return `header:${(await sha256Hex(value)).slice(0, 32)}`
  }
  return `address:${address ?? 'unknown'}`
}

/** In-memory token buckets: per edge instance (docs/api-gateway.md explains what that means per runtime). */
export interface MemoryRateLimiter extends RateLimiter {
  take(policy: RateLimitPolicy, client: string): RateDecision
}

export function createMemoryRateLimiter(buckets = new TokenBuckets()): MemoryRateLimiter {
  return {
    take(policy, client) {
      const { allowed, retryAfterMs } = buckets.take(`${policy.bucket}\u0000${client}`, {
        capacity: policy.burst,
        refillPerMs: policy.requests / (policy.periodSeconds * 1000),
      })
      return { allowed, retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(retryAfterMs / 1000)) }
    },
  }
}

/**
 * The Workers binding named by the policy when the isolate has it (shared by the isolates of a
 * Cloudflare location, counted by the binding's own limit and period), else `fallback`. A
 * binding that fails falls back too: an outage of the counter never takes the route down.
 */
export function createBindingRateLimiter(binding: (name: string) => RateLimitBinding | undefined, fallback: RateLimiter, onError: (error: unknown) => void): RateLimiter {
  return {
    async take(policy, client) {
      const counter = policy.workersBinding === null ? undefined : binding(policy.workersBinding)
      if (counter === undefined) return fallback.take(policy, client)
      try {
        const { success } = await counter.limit({ key: `${policy.bucket}\u0000${client}` })
        return { allowed: success, retryAfterSeconds: success ? 0 : policy.periodSeconds }
      } catch (error) {
        onError(error)
        return fallback.take(policy, client)
      }
    },
  }
}
