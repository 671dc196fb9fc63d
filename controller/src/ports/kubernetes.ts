// Ports to the Kubernetes API, in our own types. Adapters under adapters/kubernetes/
// implement them with @kubernetes/client-node; unit tests use small in-memory versions.
import type { Condition, LoadBalancerIngress, ObjectMeta } from './kubernetes-objects'

export type InformerEvent = 'add' | 'update' | 'delete'

/** A list + watch cache of one kind of object. Events only tell what changed; readers use the cache. */
export interface ObjectInformer<T extends { metadata: ObjectMeta }> {
  readonly resource: string
  start(): Promise<void>
  stop(): Promise<void>
  /** True once the first list has completed (and stays true across watch restarts). */
  hasSynced(): boolean
  list(): readonly T[]
  get(namespace: string, name: string): T | undefined
  onEvent(handler: (event: InformerEvent, object: T) => void): void
}

export interface ServiceStatusPatch {
  loadBalancer: { ingress: LoadBalancerIngress[] }
  conditions: Condition[]
}

/** Writes to Services. Every write is conditional on the resourceVersion it was computed from. */
export interface ServiceWriter {
  /** Direct read from the API server (not the cache), null when the Service does not exist. */
  get(namespace: string, name: string): Promise<{ metadata: ObjectMeta } | null>
  /** Both return the Service's new resourceVersion. */
  setFinalizers(namespace: string, name: string, finalizers: string[], resourceVersion: string): Promise<string>
  patchStatus(namespace: string, name: string, status: ServiceStatusPatch, resourceVersion: string): Promise<string>
}

export interface EventRecord {
  regarding: { kind: string; apiVersion: string; namespace?: string; name: string; uid?: string }
  type: 'Normal' | 'Warning'
  reason: string
  message: string
}

export interface EventSink {
  create(event: EventRecord): Promise<void>
}

export interface LeaseRecord {
  holderIdentity: string | null
  leaseDurationSeconds: number
  acquireTime: string | null
  renewTime: string | null
  leaseTransitions: number
}

export interface StoredLease {
  record: LeaseRecord
  resourceVersion: string
}

/** Lease persistence with optimistic concurrency: a stale resourceVersion fails with ConflictError. */
export interface LeaseStore {
  get(): Promise<StoredLease | null>
  create(record: LeaseRecord): Promise<StoredLease>
  update(record: LeaseRecord, resourceVersion: string): Promise<StoredLease>
}

/** Raised by adapters when a conditional write lost a race (HTTP 409) or the object is gone (404). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError'
}
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError'
}
