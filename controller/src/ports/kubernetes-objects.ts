// The subset of Kubernetes objects the controller reads, in their JSON shape (what the
// API server sends). Our own types, so that pure logic never imports the client library.

export interface ObjectMeta {
  name: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  finalizers?: string[]
  /** The API server's record of which manager owns which fields (read, never written). */
  managedFields?: unknown[]
}

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  lastTransitionTime: string
  observedGeneration?: number
}

export interface ServicePort {
  name?: string
  protocol?: 'TCP' | 'UDP' | 'SCTP'
  port: number
  nodePort?: number
}

export interface PortStatus {
  port: number
  protocol: 'TCP' | 'UDP' | 'SCTP'
  error?: string
}

export interface LoadBalancerIngress {
  hostname?: string
  ip?: string
  ports?: PortStatus[]
}

export interface ServiceObject {
  metadata: ObjectMeta
  spec: {
    type?: string
    loadBalancerClass?: string
    ports?: ServicePort[]
    externalTrafficPolicy?: 'Cluster' | 'Local'
    healthCheckNodePort?: number
    allocateLoadBalancerNodePorts?: boolean
  }
  status?: {
    loadBalancer?: { ingress?: LoadBalancerIngress[] }
    conditions?: Condition[]
  }
}

export interface Taint {
  key: string
  value?: string
  effect: string
}

export interface NodeObject {
  metadata: ObjectMeta
  spec?: { providerID?: string; unschedulable?: boolean; taints?: Taint[] }
  status?: { conditions?: { type: string; status: string }[] }
}

export const objectKey = (meta: ObjectMeta): string => (meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name)

export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/')
  return slash < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) }
}
