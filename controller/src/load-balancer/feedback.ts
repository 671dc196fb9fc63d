// What the user sees of a reconcile: Events on the Service and its status (ingress and the
// LoadBalancerReady condition). Status is written only when it changes, and not at all
// in a dry run, nor once the replica stopped leading (the fence).
import type { EventRecord, ServiceWriter } from '../ports/kubernetes'
import type { LoadBalancerIngress, ServiceObject } from '../ports/kubernetes-objects'
import type { EventRecorder } from '../reconcile/event-recorder'
import { statusPatch, withCondition, withoutCondition, type ReadyState } from './status'
import type { WriteFence } from './write-fence'

export class ServiceFeedback {
  constructor(
    private readonly writer: ServiceWriter,
    private readonly events: EventRecorder,
    private readonly dryRun: boolean,
    private readonly fence?: WriteFence,
  ) {}

  async event(service: ServiceObject, type: EventRecord['type'], reason: string, message: string): Promise<void> {
    if (this.dryRun) return
    this.fence?.check()
    const m = service.metadata
    return this.events.record({ regarding: { kind: 'Service', apiVersion: 'v1', namespace: m.namespace, name: m.name, uid: m.uid }, type, reason, message })
  }

  /** Sets the condition (and the ingress, when given; otherwise the current one stays). Returns the new resourceVersion. */
  async setStatus(service: ServiceObject, resourceVersion: string, state: ReadyState, ingress?: LoadBalancerIngress[]): Promise<string> {
    const conditions = withCondition(service.status?.conditions, state, new Date().toISOString(), service.metadata.generation)
    return this.write(service, resourceVersion, ingress ?? service.status?.loadBalancer?.ingress ?? [], conditions)
  }

  /** Removes what this controller wrote to the status (the Service is no longer ours). */
  clearStatus(service: ServiceObject, resourceVersion: string): Promise<string> {
    return this.write(service, resourceVersion, [], withoutCondition(service.status?.conditions))
  }

  private async write(service: ServiceObject, resourceVersion: string, ingress: LoadBalancerIngress[], conditions: NonNullable<ServiceObject['status']>['conditions'] & {}) {
    const patch = statusPatch(service, ingress, conditions)
    if (!patch || this.dryRun) return resourceVersion
    return this.writer.patchStatus(service.metadata.namespace ?? '', service.metadata.name, patch, resourceVersion)
  }
}
