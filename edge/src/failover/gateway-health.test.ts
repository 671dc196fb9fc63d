import { describe, expect, it } from 'vitest'
import { coolDownFromSeconds, GatewayHealth } from './gateway-health'

function clock() {
  let t = 1_000
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('GatewayHealth', () => {
  it('ejects a gateway that failed for the cool-down, then makes it available again', () => {
    const c = clock()
    const health = new GatewayHealth({ coolDownMs: 500, now: c.now })
    expect(health.isAvailable('a')).toBe(true)
    expect(health.failed('a')).toBe(true)
    expect(health.isAvailable('a')).toBe(false)
    expect(health.isAvailable('b')).toBe(true)
    c.advance(499)
    expect(health.isAvailable('a')).toBe(false)
    c.advance(1)
    expect(health.isAvailable('a')).toBe(true)
  })

  it('reports an ejection once; a failure while ejected extends the cool-down', () => {
    const c = clock()
    const health = new GatewayHealth({ coolDownMs: 500, now: c.now })
    expect(health.failed('a')).toBe(true)
    c.advance(400)
    expect(health.failed('a')).toBe(false)
    c.advance(400)
    expect(health.isAvailable('a')).toBe(false)
    c.advance(100)
    expect(health.isAvailable('a')).toBe(true)
    expect(health.failed('a')).toBe(true)
  })

  it('an answer restores an ejected gateway at once', () => {
    const health = new GatewayHealth({ coolDownMs: 60_000, now: clock().now })
    health.failed('a')
    health.answered('a')
    expect(health.isAvailable('a')).toBe(true)
  })

  it('lists every gateway it has seen with its state', () => {
    const c = clock()
    const health = new GatewayHealth({ coolDownMs: 500, now: c.now })
    health.answered('a')
    health.failed('b')
    expect(health.states()).toEqual([
      { gateway: 'a', ejected: false },
      { gateway: 'b', ejected: true },
    ])
    c.advance(500)
    expect(health.states().every((s) => !s.ejected)).toBe(true)
  })
})

describe('coolDownFromSeconds', () => {
  it('reads seconds (fractions too) and ignores anything else', () => {
    expect(coolDownFromSeconds('2')).toBe(2000)
    expect(coolDownFromSeconds('0.25')).toBe(250)
    expect(coolDownFromSeconds('0')).toBe(0)
    for (const bad of [undefined, '', ' ', 'ten', '-1', 'Infinity']) expect(coolDownFromSeconds(bad)).toBeUndefined()
  })
})
