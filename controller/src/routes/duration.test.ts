import { describe, expect, it } from 'vitest'
import { durationMs } from './duration'

describe('durationMs (GEP-2257)', () => {
  it('reads each unit and sums components as time.ParseDuration does', () => {
    expect(durationMs('10s')).toBe(10_000)
    expect(durationMs('500ms')).toBe(500)
    expect(durationMs('1h30m30s500ms')).toBe(5_430_500)
    expect(durationMs('00060m')).toBe(3_600_000)
    expect(durationMs('1s1s')).toBe(2000)
    expect(durationMs('0s')).toBe(0)
  })
})
