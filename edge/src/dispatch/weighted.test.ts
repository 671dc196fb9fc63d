import { describe, expect, it } from 'vitest'
import type { Backend } from '../route-table/types'
import { pickWeighted } from './weighted'

const backend = (name: string, weight: number): Backend => ({ gateway: 'gw', weight, service: { namespace: 'ns', name, port: 80 }, filters: [] })

describe('pickWeighted', () => {
  it('never picks weight 0 and returns null when every weight is 0 (conformance HTTPRouteAllBackendsWeightZero)', () => {
    expect(pickWeighted([backend('a', 0), backend('b', 0)], () => 0.5)).toBeNull()
    expect(pickWeighted([], () => 0.5)).toBeNull()
    for (const r of [0, 0.3, 0.999999]) expect(pickWeighted([backend('a', 0), backend('b', 1), backend('c', 0)], () => r)?.service.name).toBe('b')
  })

  it('splits by weight (conformance HTTPRouteWeight: 70/30/0)', () => {
    const backends = [backend('v1', 70), backend('v2', 30), backend('v3', 0)]
    const counts: Record<string, number> = { v1: 0, v2: 0, v3: 0 }
    const n = 1000
    for (let i = 0; i < n; i++) counts[pickWeighted(backends, () => (i + 0.5) / n)!.service.name]!++
    expect(counts).toEqual({ v1: 700, v2: 300, v3: 0 })
  })

  it('is deterministic for a given random value', () => {
    const backends = [backend('a', 1), backend('b', 1)]
    expect(pickWeighted(backends, () => 0.49)?.service.name).toBe('a')
    expect(pickWeighted(backends, () => 0.5)?.service.name).toBe('b')
  })

  it('a random value of almost 1 still lands on the last backend with weight', () => {
    expect(pickWeighted([backend('a', 1), backend('b', 2), backend('c', 0)], () => 1 - Number.EPSILON)?.service.name).toBe('b')
  })
})
