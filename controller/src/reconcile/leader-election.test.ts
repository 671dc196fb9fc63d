import { describe, expect, it } from 'vitest'
import type { LeaseRecord, StoredLease } from '../ports/kubernetes'
import { decide, observe, released } from './leader-election'

const t0 = Date.parse('2026-01-01T00:00:00Z')
const lease = (record: Partial<LeaseRecord>, resourceVersion = '7'): StoredLease => ({
  resourceVersion,
  record: { holderIdentity: 'other', leaseDurationSeconds: 15, acquireTime: '2026-01-01T00:00:00.000Z', renewTime: '2026-01-01T00:00:00.000Z', leaseTransitions: 3, ...record },
})

describe('leader election decisions', () => {
  it('creates the lease when there is none', () => {
    expect(decide(null, null, 'me', t0, 15)).toEqual({
      kind: 'create',
      record: { holderIdentity: 'me', leaseDurationSeconds: 15, acquireTime: '2026-01-01T00:00:00.000Z', renewTime: '2026-01-01T00:00:00.000Z', leaseTransitions: 0 },
    })
  })

  it('renews its own lease without a transition', () => {
    const d = decide(lease({ holderIdentity: 'me' }), null, 'me', t0 + 2_000, 15)
    expect(d).toMatchObject({ kind: 'update', acquired: false, resourceVersion: '7', record: { holderIdentity: 'me', renewTime: '2026-01-01T00:00:02.000Z', leaseTransitions: 3 } })
  })

  it('waits while another holder has not been silent for a lease duration on our clock', () => {
    const l = lease({})
    const seen = observe(null, l, t0 + 60_000) // their renewTime looks old, but we only just saw it
    expect(decide(l, seen, 'me', t0 + 70_000, 15)).toEqual({ kind: 'wait', holder: 'other', expiresInMs: 5_000 })
  })

  it('takes over once the holder stopped renewing for a lease duration, counting a transition', () => {
    const l = lease({})
    const seen = observe(null, l, t0)
    const again = observe(seen, l, t0 + 10_000)
    expect(again).toBe(seen) // unchanged record: the first sighting counts
    expect(decide(l, again, 'me', t0 + 15_001, 15)).toMatchObject({ kind: 'update', acquired: true, record: { holderIdentity: 'me', leaseTransitions: 4 } })
  })

  it('sees a renewal as a new observation, restarting the wait', () => {
    const seen = observe(null, lease({}), t0)
    const renewed = observe(seen, lease({ renewTime: '2026-01-01T00:00:10.000Z' }), t0 + 10_000)
    expect(renewed!.observedAtMs).toBe(t0 + 10_000)
    expect(decide(lease({ renewTime: '2026-01-01T00:00:10.000Z' }), renewed, 'me', t0 + 16_000, 15).kind).toBe('wait')
  })

  it('acquires a released lease at once', () => {
    const l = lease({ holderIdentity: null })
    expect(decide(l, observe(null, l, t0), 'me', t0, 15)).toMatchObject({ kind: 'update', acquired: true })
    const r = released(lease({ holderIdentity: 'me' }).record, t0)
    expect(r).toMatchObject({ holderIdentity: null, leaseDurationSeconds: 1 })
  })
})
