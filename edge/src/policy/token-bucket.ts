// Token buckets in memory, one per key: `capacity` tokens at most, refilled continuously at
// `refillPerMs`; a request takes one token or is refused with the wait until the next one.
// Per edge instance (process, isolate, Lambda environment): nothing is shared between them.
// Bounded: past `maxEntries` keys the least recently used bucket is dropped (that client starts
// again with a full bucket), so a flood of distinct keys cannot exhaust memory.

export interface BucketRate {
  capacity: number
  refillPerMs: number
}

export interface TakeResult {
  allowed: boolean
  /** When refused: milliseconds until a token is available. */
  retryAfterMs: number
}

export const DEFAULT_MAX_BUCKETS = 100_000

export class TokenBuckets {
  /** Insertion order is recency: a bucket is moved to the end on each use. */
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly maxEntries = DEFAULT_MAX_BUCKETS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  get size(): number {
    return this.buckets.size
  }

  take(key: string, rate: BucketRate): TakeResult {
    const now = this.now()
    const found = this.buckets.get(key)
    if (found === undefined) {
      if (this.buckets.size >= this.maxEntries) this.buckets.delete(this.buckets.keys().next().value!)
    } else {
      this.buckets.delete(key)
    }
    const elapsed = found === undefined ? 0 : Math.max(0, now - found.at)
    const tokens = found === undefined ? rate.capacity : Math.min(rate.capacity, found.tokens + elapsed * rate.refillPerMs)
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now })
      return { allowed: true, retryAfterMs: 0 }
    }
    this.buckets.set(key, { tokens, at: now })
    return { allowed: false, retryAfterMs: Math.ceil((1 - tokens) / rate.refillPerMs) }
  }
}
