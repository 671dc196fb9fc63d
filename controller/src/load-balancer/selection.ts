// Which Services this controller acts on, and how. It manages LoadBalancer Services of its
// class (and class-less ones when it is the default). It cleans up only behind its own
// finalizer, when the Service is being deleted or was explicitly moved away (type changed,
// or another class set); it never deletes because it merely stopped recognising a Service.
import type { ServiceObject } from '../ports/kubernetes-objects'

export const LOAD_BALANCER_CLASS = 'edge-ingress.io/nlb'
export const FINALIZER = 'edge-ingress.io/load-balancer'

export type Disposition = 'manage' | 'cleanup' | 'ignore'

export interface SelectionOptions {
  /** Also manage LoadBalancer Services without spec.loadBalancerClass. */
  defaultClass: boolean
}

export const hasFinalizer = (service: ServiceObject) => (service.metadata.finalizers ?? []).includes(FINALIZER)

export function disposition(service: ServiceObject, options: SelectionOptions): Disposition {
  const finalizer = hasFinalizer(service)
  if (service.metadata.deletionTimestamp) return finalizer ? 'cleanup' : 'ignore'
  const isLoadBalancer = service.spec.type === 'LoadBalancer'
  const cls = service.spec.loadBalancerClass
  if (isLoadBalancer && (cls === LOAD_BALANCER_CLASS || (cls === undefined && options.defaultClass))) return 'manage'
  const movedAway = !isLoadBalancer || (cls !== undefined && cls !== LOAD_BALANCER_CLASS)
  return finalizer && movedAway ? 'cleanup' : 'ignore'
}

/** What about a Service matters to this controller; status-only updates (our own writes) enqueue nothing. */
export function serviceSignature(service: ServiceObject): string {
  const m = service.metadata
  return JSON.stringify([m.annotations ?? {}, m.finalizers ?? [], m.deletionTimestamp ?? '', service.spec])
}
