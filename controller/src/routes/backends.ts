// A backend Service resolves to a cluster gateway through its own L4 balancer: the Service's
// status.loadBalancer.ingress[0] (hostname or ip) and the referenced Service port. A backend
// that cannot be resolved is kept with `gateway: null` (its share answers 500) and a problem
// that says why, for status and `routes check`.
import { isDnsName, isIPv4, isIPv6 } from '../../../edge/src/route-table/syntax'
import type { Backend, Filter, Gateway } from '../../../edge/src/route-table/types'
import type { Service } from './model/core'
import type { Known } from './model/inventory'
import type { BackendProblem } from './results'

export interface ServiceTarget {
  namespace: string
  name: string
  /** Service port number, or port name (Ingress `port.name`). */
  port: number | string
}

export interface Resolution {
  /** Null only when the port cannot be named as a number (an unknown port name). */
  backend: Backend | null
  problem: BackendProblem | null
}

/** The gateways of one compile, by id; ids are deterministic so equal input gives an equal table. */
export class GatewayRegistry {
  readonly gateways: Record<string, Gateway> = {}
  constructor(readonly cluster: string) {}

  add(address: string, port: number, protocol: Gateway['protocol']): string {
    const id = `${this.cluster}/${address}:${port}`
    this.gateways[id] ??= { id, cluster: this.cluster, address, port, protocol }
    return id
  }
}

export function resolveService(
  services: ReadonlyMap<string, Known<Service>>,
  registry: GatewayRegistry,
  target: ServiceTarget,
  weight: number,
  filters: Filter[],
  field: string,
): Resolution {
  const { namespace, name } = target
  const unresolved = (port: number, reason: BackendProblem['reason'], message: string): Resolution => ({
    backend: { gateway: null, weight, service: { namespace, name, port }, filters },
    problem: { field, reason, message },
  })
  const service = services.get(`${namespace}/${name}`)?.value
  if (!service) {
    const message = `Service ${namespace}/${name} not found`
    if (typeof target.port === 'string') return { backend: null, problem: { field, reason: 'BackendNotFound', message } }
    return unresolved(target.port, 'BackendNotFound', message)
  }
  const servicePort = service.spec.ports.find((p) => (typeof target.port === 'number' ? p.port === target.port : p.name === target.port))
  if (!servicePort) {
    const message = `Service ${namespace}/${name} has no port ${typeof target.port === 'number' ? target.port : `named "${target.port}"`}`
    if (typeof target.port === 'string') return { backend: null, problem: { field, reason: 'BackendNotFound', message } }
    return unresolved(target.port, 'BackendNotFound', message)
  }
  const address = balancerAddress(service)
  if (address === null) {
    return unresolved(servicePort.port, 'BackendNotReady', `Service ${namespace}/${name} has no L4 balancer address yet (status.loadBalancer.ingress is empty)`)
  }
  if (!address.valid) {
    return unresolved(servicePort.port, 'BackendNotReady', `Service ${namespace}/${name} has an unusable balancer address "${address.value}"`)
  }
  const https = servicePort.appProtocol?.toLowerCase() === 'https' || servicePort.name === 'https'
  const gateway = registry.add(address.value, servicePort.port, https ? 'https' : 'http')
  return { backend: { gateway, weight, service: { namespace, name, port: servicePort.port }, filters }, problem: null }
}

function balancerAddress(service: Service): { value: string; valid: boolean } | null {
  const first = service.status?.loadBalancer?.ingress?.[0]
  const value = (first?.hostname || first?.ip || '').toLowerCase()
  if (value === '') return null
  return { value, valid: isDnsName(value) || isIPv4(value) || isIPv6(value) }
}
