// Leader election decisions on a coordination.k8s.io/v1 Lease (pure), as client-go makes
// them. Expiry is judged on the local clock from when this replica first observed the
// current record, never by comparing another machine's renewTime with our clock.
import type { LeaseRecord, StoredLease } from '../ports/kubernetes'

export interface Observation {
  /** Identifies a record version: holder, renew time and transitions. */
  fingerprint: string
  observedAtMs: number
}

export type Decision =
  | { kind: 'create'; record: LeaseRecord }
  | { kind: 'update'; record: LeaseRecord; resourceVersion: string; acquired: boolean }
  | { kind: 'wait'; holder: string; expiresInMs: number }

export const fingerprint = (r: LeaseRecord) => `${r.holderIdentity ?? ''}|${r.renewTime ?? ''}|${r.leaseTransitions}`

/** The observation after seeing `lease` at `nowMs`: unchanged records keep their first sighting time. */
export function observe(previous: Observation | null, lease: StoredLease | null, nowMs: number): Observation | null {
  if (!lease) return null
  const fp = fingerprint(lease.record)
  return previous?.fingerprint === fp ? previous : { fingerprint: fp, observedAtMs: nowMs }
}

export function decide(lease: StoredLease | null, observation: Observation | null, identity: string, nowMs: number, leaseDurationSeconds: number): Decision {
  const now = new Date(nowMs).toISOString()
  if (!lease) {
    return { kind: 'create', record: { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 } }
  }
  const current = lease.record
  const holder = current.holderIdentity ?? ''
  if (holder === identity) {
    return { kind: 'update', resourceVersion: lease.resourceVersion, acquired: false, record: { ...current, leaseDurationSeconds, renewTime: now } }
  }
  if (holder !== '') {
    const observedAt = observation?.observedAtMs ?? nowMs
    const expiresInMs = observedAt + current.leaseDurationSeconds * 1000 - nowMs
    if (expiresInMs > 0) return { kind: 'wait', holder, expiresInMs }
  }
  return {
    kind: 'update',
    resourceVersion: lease.resourceVersion,
    acquired: true,
    record: { holderIdentity: identity, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: current.leaseTransitions + 1 },
  }
}

/** The record that hands the lease back on shutdown, so a successor need not wait for expiry. */
export const released = (record: LeaseRecord, nowMs: number): LeaseRecord => ({
  ...record,
  holderIdentity: null,
  leaseDurationSeconds: 1,
  renewTime: new Date(nowMs).toISOString(),
})
