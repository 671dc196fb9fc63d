// Client-side rate limits per AWS action: a token bucket each, so one busy action (say,
// RegisterTargets during a node churn) never starves another, and the controller stays
// below the account's own ELBv2 buckets (40 Describe* calls with a refill of 10/s).

export interface RateLimit {
  perSecond: number
  burst: number
}

export class TokenBucket {
  private tokens: number
  private updatedMs: number
  private queue: Promise<void> = Promise.resolve()

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = limit.burst
    this.updatedMs = now()
  }

  /** Milliseconds to wait before a token is free (0 when one is), taking it. */
  reserve(): number {
    const now = this.now()
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.updatedMs) / 1000) * this.limit.perSecond)
    this.updatedMs = now
    this.tokens -= 1
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.limit.perSecond) * 1000)
  }

  /** Resolves when the caller may make its call; callers are served in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => {
      const wait = this.reserve()
      return wait > 0 ? new Promise<void>((resolve) => setTimeout(resolve, wait)) : undefined
    })
    this.queue = turn
    return turn
  }
}

/** "Describe*" and similar prefixes match actions by prefix; exact names win. */
export type RateLimitTable = Record<string, RateLimit>

export const defaultRateLimits: RateLimitTable = {
  'Describe*': { perSecond: 10, burst: 40 },
  '*': { perSecond: 5, burst: 10 },
}

export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(private readonly table: RateLimitTable = defaultRateLimits) {}

  take(action: string): Promise<void> {
    let bucket = this.buckets.get(action)
    if (!bucket) {
      bucket = new TokenBucket(limitFor(this.table, action))
      this.buckets.set(action, bucket)
    }
    return bucket.take()
  }
}

export function limitFor(table: RateLimitTable, action: string): RateLimit {
  if (table[action]) return table[action]
  const prefixes = Object.keys(table)
    .filter((k) => k.endsWith('*') && action.startsWith(k.slice(0, -1)))
    .sort((a, b) => b.length - a.length)
  return table[prefixes[0] ?? '*'] ?? { perSecond: 5, burst: 10 }
}

/** Parses "--aws-rate-limit RegisterTargets=2:5,Describe*=20:40" entries (perSecond:burst). */
export function parseRateLimits(text: string): RateLimitTable {
  const table: RateLimitTable = { ...defaultRateLimits }
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = /^([A-Za-z*]+)=(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(entry)
    if (!match) throw new Error(`bad rate limit "${entry}": expected Action=perSecond[:burst]`)
    const perSecond = Number(match[2])
    if (perSecond <= 0) throw new Error(`bad rate limit "${entry}": the rate must be above 0`)
    table[match[1]!] = { perSecond, burst: match[3] ? Math.max(1, Number(match[3])) : Math.max(1, Math.ceil(perSecond)) }
  }
  return table
}
