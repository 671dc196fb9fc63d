// LoadBalancer Services for the controller tests, and what a user reads back from them:
// status, the LoadBalancerReady condition, finalizers and Events.
import { eventually } from '../../edge/support/eventually'
import { PatchStrategy, setHeaderOptions, type CoreV1Api, type EventsV1Api, type V1Service, type V1ServicePort } from '@kubernetes/client-node'

export const NLB_CLASS = 'edge-ingress.io/nlb'
export const FINALIZER = 'edge-ingress.io/load-balancer'

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

export interface ServiceOptions {
  ports?: V1ServicePort[]
  annotations?: Record<string, string>
  /** undefined: edge-ingress.io/nlb; null: no class at all. */
  loadBalancerClass?: string | null
  externalTrafficPolicy?: 'Cluster' | 'Local'
}

export function loadBalancerService(namespace: string, name: string, options: ServiceOptions = {}): V1Service {
  const cls = options.loadBalancerClass === undefined ? NLB_CLASS : options.loadBalancerClass
  return {
    metadata: { namespace, name, annotations: options.annotations ?? {} },
    spec: {
      type: 'LoadBalancer',
      ...(cls === null ? {} : { loadBalancerClass: cls }),
      selector: { app: name },
      ports: options.ports ?? [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      ...(options.externalTrafficPolicy ? { externalTrafficPolicy: options.externalTrafficPolicy } : {}),
    },
  }
}

export async function createService(core: CoreV1Api, namespace: string, name: string, options: ServiceOptions = {}): Promise<V1Service> {
  return core.createNamespacedService({ namespace, body: loadBalancerService(namespace, name, options) })
}

/** A merge patch, as `kubectl patch --type merge` sends it (lists are replaced whole). */
export async function patchService(core: CoreV1Api, namespace: string, name: string, body: object): Promise<V1Service> {
  return core.patchNamespacedService({ namespace, name, body }, mergePatch)
}

export async function readService(core: CoreV1Api, namespace: string, name: string): Promise<V1Service | null> {
  return core.readNamespacedService({ namespace, name }).catch((error: { code?: number }) => {
    if (error.code === 404) return null
    throw error
  })
}

export function readyCondition(service: V1Service | null) {
  return service?.status?.conditions?.find((c) => c.type === 'LoadBalancerReady')
}

export const hostnameOf = (service: V1Service | null) => service?.status?.loadBalancer?.ingress?.[0]?.hostname

export interface SeenEvent {
  type: string
  reason: string
  note: string
}

/** Events about one Service, oldest first (events.k8s.io/v1, as the controller writes them). */
export async function serviceEvents(events: EventsV1Api, namespace: string, name: string): Promise<SeenEvent[]> {
  const list = await events.listNamespacedEvent({ namespace })
  return list.items
    .filter((e) => e.regarding?.kind === 'Service' && e.regarding.name === name)
    .sort((a, b) => new Date(a.eventTime ?? 0).getTime() - new Date(b.eventTime ?? 0).getTime())
    .map((e) => ({ type: e.type ?? '', reason: e.reason ?? '', note: e.note ?? '' }))
}

/** Deletes the Services of the namespace (all, or those named) and waits until they are gone (finalizers done). */
export async function deleteServicesAndWait(core: CoreV1Api, namespace: string, names?: string[]): Promise<void> {
  const chosen = (await core.listNamespacedService({ namespace })).items.map((s) => s.metadata!.name!).filter((n) => !names || names.includes(n))
  await Promise.all(chosen.map((name) => core.deleteNamespacedService({ namespace, name })))
  const left = async () => (await core.listNamespacedService({ namespace })).items.filter((s) => chosen.includes(s.metadata!.name!)).length
  await eventually(left, (n) => n === 0, `${chosen.join(', ')} in ${namespace} to be gone (finalizers removed)`, 1200, 50)
}
