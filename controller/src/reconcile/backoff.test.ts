import { describe, expect, it } from 'vitest'
import { backoffDelay, KeyBackoff } from './backoff'

describe('backoff', () => {
  const options = { baseMs: 100, maxMs: 5_000 }

  it('doubles per failure between half and all of the ceiling, and is capped', () => {
    for (const [failures, ceiling] of [[0, 100], [1, 200], [3, 800], [6, 5_000], [40, 5_000]] as const) {
      expect(backoffDelay(failures, { ...options, random: () => 0 })).toBe(ceiling / 2)
      expect(backoffDelay(failures, { ...options, random: () => 0.999999 })).toBe(ceiling)
    }
  })

  it('tracks failures per key and starts over after forget', () => {
    const backoff = new KeyBackoff<string>({ ...options, random: () => 0 })
    expect([backoff.next('a'), backoff.next('a'), backoff.next('a')]).toEqual([50, 100, 200])
    expect(backoff.next('b')).toBe(50)
    expect(backoff.failuresOf('a')).toBe(3)
    backoff.forget('a')
    expect(backoff.next('a')).toBe(50)
  })
})
