// Kubernetes writes of the L4 half happen only while this replica works as the leader: once it
// stops (Lease lost, shutdown), a reconcile still in progress ends at its next write (Aborted)
// instead of making it, so a former leader never writes over the new one's status.
import type { ServiceStatusPatch, ServiceWriter } from '../ports/kubernetes'
import { Aborted } from '../reconcile/errors'

export class WriteFence {
  private open = false

  allow(): void {
    this.open = true
  }

  refuse(): void {
    this.open = false
  }

  /** Throws Aborted once the replica stopped working as leader. */
  check(): void {
    if (!this.open) throw new Aborted('no longer leading (or shutting down): Kubernetes write skipped')
  }

  /** `writer` with its writes fenced (reads pass). */
  writer(inner: ServiceWriter): ServiceWriter {
    return {
      get: (namespace, name) => inner.get(namespace, name),
      setFinalizers: async (namespace: string, name: string, finalizers: string[], resourceVersion: string) => {
        this.check()
        return inner.setFinalizers(namespace, name, finalizers, resourceVersion)
      },
      patchStatus: async (namespace: string, name: string, status: ServiceStatusPatch, resourceVersion: string) => {
        this.check()
        return inner.patchStatus(namespace, name, status, resourceVersion)
      },
    }
  }
}
