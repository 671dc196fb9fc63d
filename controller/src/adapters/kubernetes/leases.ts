// LeaseStore on coordination.k8s.io/v1 Leases; a stale resourceVersion fails with ConflictError.
import { ApiException, CoordinationV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node'
import type { LeaseRecord, LeaseStore, StoredLease } from '../../ports/kubernetes'
import { mapApiError } from './services'

export class KubeLeaseStore implements LeaseStore {
  private readonly api: CoordinationV1Api

  constructor(
    kubeConfig: KubeConfig,
    private readonly namespace: string,
    private readonly name: string,
  ) {
    this.api = kubeConfig.makeApiClient(CoordinationV1Api)
  }

  async get(): Promise<StoredLease | null> {
    try {
      return fromLease(await this.api.readNamespacedLease({ namespace: this.namespace, name: this.name }))
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return null
      throw mapApiError(error, `read lease ${this.namespace}/${this.name}`)
    }
  }

  async create(record: LeaseRecord): Promise<StoredLease> {
    try {
      return fromLease(await this.api.createNamespacedLease({ namespace: this.namespace, body: toLease(this.namespace, this.name, record) }))
    } catch (error) {
      throw mapApiError(error, `create lease ${this.namespace}/${this.name}`)
    }
  }

  async update(record: LeaseRecord, resourceVersion: string): Promise<StoredLease> {
    try {
      return fromLease(
        await this.api.replaceNamespacedLease({ namespace: this.namespace, name: this.name, body: toLease(this.namespace, this.name, record, resourceVersion) }),
      )
    } catch (error) {
      throw mapApiError(error, `update lease ${this.namespace}/${this.name}`)
    }
  }
}

// Lease times are MicroTime: the apiserver refuses the millisecond form a plain Date serializes to.
const toDate = (iso: string | null) => (iso ? new V1MicroTime(iso) : undefined)
const toIso = (d: Date | string | undefined) => (d ? new Date(d).toISOString() : null)

function toLease(namespace: string, name: string, r: LeaseRecord, resourceVersion?: string): V1Lease {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { namespace, name, ...(resourceVersion ? { resourceVersion } : {}) },
    spec: {
      ...(r.holderIdentity ? { holderIdentity: r.holderIdentity } : {}),
      leaseDurationSeconds: r.leaseDurationSeconds,
      acquireTime: toDate(r.acquireTime),
      renewTime: toDate(r.renewTime),
      leaseTransitions: r.leaseTransitions,
    },
  }
}

function fromLease(lease: V1Lease): StoredLease {
  const s = lease.spec ?? {}
  return {
    resourceVersion: lease.metadata?.resourceVersion ?? '',
    record: {
      holderIdentity: s.holderIdentity ?? null,
      leaseDurationSeconds: s.leaseDurationSeconds ?? 15,
      acquireTime: toIso(s.acquireTime),
      renewTime: toIso(s.renewTime),
      leaseTransitions: s.leaseTransitions ?? 0,
    },
  }
}
