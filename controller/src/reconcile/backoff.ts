// Per-key exponential backoff for failed reconciles: base * 2^failures, capped, with
// "equal jitter" so that many keys failing together do not retry in lockstep.

export interface BackoffOptions {
  baseMs: number
  maxMs: number
  /** Returns a number in [0, 1); injectable for tests. */
  random?: () => number
}

export function backoffDelay(failures: number, { baseMs, maxMs, random = Math.random }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(failures, 30))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

export class KeyBackoff<K> {
  private readonly failures = new Map<K, number>()

  constructor(private readonly options: BackoffOptions) {}

  /** Delay before the next attempt of `key`; each call counts one more failure. */
  next(key: K): number {
    const n = this.failures.get(key) ?? 0
    this.failures.set(key, n + 1)
    return backoffDelay(n, this.options)
  }

  failuresOf(key: K): number {
    return this.failures.get(key) ?? 0
  }

  forget(key: K): void {
    this.failures.delete(key)
  }
}
