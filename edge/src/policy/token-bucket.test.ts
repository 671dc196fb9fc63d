import { describe, expect, it } from 'vitest'
import { TokenBuckets } from './token-bucket'

function clock() {
  let t = 0
  return { now: () => t, advance: (ms: number) => (t += ms) }
}
/** 2 requests per second sustained, 3 at once. */
const rate = { capacity: 3, refillPerMs: 2 / 1000 }

describe('TokenBuckets', () => {
  it('allows a burst of `capacity`, then refuses with the wait for the next token', () => {
    const c = clock()
    const buckets = new TokenBuckets(10, c.now)
    for (let i = 0; i < 3; i++) expect(buckets.take('a', rate).allowed).toBe(true)
    expect(buckets.take('a', rate)).toEqual({ allowed: false, retryAfterMs: 500 })
    c.advance(200)
    expect(buckets.take('a', rate)).toEqual({ allowed: false, retryAfterMs: 300 })
    c.advance(300)
    expect(buckets.take('a', rate).allowed).toBe(true)
    expect(buckets.take('a', rate).allowed).toBe(false)
  })

  it('refills at the sustained rate and never beyond capacity', () => {
    const c = clock()
    const buckets = new TokenBuckets(10, c.now)
    for (let i = 0; i < 3; i++) buckets.take('a', rate)
    c.advance(60_000)
    let allowed = 0
    while (buckets.take('a', rate).allowed) allowed++
    expect(allowed).toBe(3)
  })

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets(10, clock().now)
    for (let i = 0; i < 3; i++) buckets.take('a', rate)
    expect(buckets.take('a', rate).allowed).toBe(false)
    expect(buckets.take('b', rate).allowed).toBe(true)
  })

  it('holds at most maxEntries buckets, dropping the least recently used', () => {
    const buckets = new TokenBuckets(2, clock().now)
    for (let i = 0; i < 3; i++) buckets.take('a', rate)
    buckets.take('b', rate)
    buckets.take('a', rate) // a is now the most recent
    buckets.take('c', rate) // drops b
    expect(buckets.size).toBe(2)
    expect(buckets.take('a', rate).allowed).toBe(false)
  })
})
