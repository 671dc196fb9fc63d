// Service ports -> one listener each: TCP, UDP, TCP_UDP when a port number has both, TLS
// when a certificate applies to the port. Ports that an NLB cannot serve are problems.
import type { ListenerProtocol, TargetGroupProtocol } from '../ports/elbv2'
import type { PortStatus, ServicePort } from '../ports/kubernetes-objects'
import type { LoadBalancerSettings } from './annotations/settings'

export interface ListenerPlan {
  port: number
  protocol: ListenerProtocol
  targetProtocol: TargetGroupProtocol
  nodePort: number
  portKey: string
  tls: boolean
  portStatus: PortStatus[]
}

export function listenersFor(ports: ServicePort[], settings: LoadBalancerSettings): { listeners: ListenerPlan[]; problems: string[] } {
  const problems: string[] = []
  const groups = new Map<number, { port: ServicePort; key: string }[]>()
  ports.forEach((port, index) => {
    const entry = { port, key: port.name || String(index) }
    groups.set(port.port, [...(groups.get(port.port) ?? []), entry])
  })

  const tlsWanted = settings.sslCertificates.length > 0
  const sslPorts = settings.sslPorts
  const matchesSsl = (entries: { port: ServicePort }[]) =>
    sslPorts === null || entries.some((e) => sslPorts.includes(String(e.port.port)) || (e.port.name !== undefined && sslPorts.includes(e.port.name)))
  for (const name of sslPorts ?? []) {
    if (!ports.some((p) => String(p.port) === name || p.name === name)) problems.push(`ssl-ports names ${name}, which is not a port of this Service`)
  }

  const listeners: ListenerPlan[] = []
  for (const [number, entries] of groups) {
    const protocols = new Set(entries.map((e) => e.port.protocol ?? 'TCP'))
    if (protocols.has('SCTP')) {
      problems.push(`port ${number}/SCTP: Network Load Balancers do not support SCTP`)
      continue
    }
    const nodePorts = new Set(entries.map((e) => e.port.nodePort))
    if (nodePorts.has(undefined)) {
      problems.push(`port ${number} has no nodePort (spec.allocateLoadBalancerNodePorts is false); instance targets need one`)
      continue
    }
    if (nodePorts.size > 1) {
      problems.push(`port ${number} uses TCP and UDP with different nodePorts (${[...nodePorts].join(', ')}); they must be equal for a TCP_UDP listener`)
      continue
    }
    const both = protocols.has('TCP') && protocols.has('UDP')
    const base: ListenerProtocol = both ? 'TCP_UDP' : protocols.has('UDP') ? 'UDP' : 'TCP'
    let tls = false
    if (tlsWanted && matchesSsl(entries)) {
      if (base === 'TCP') tls = true
      else if (sslPorts !== null) problems.push(`port ${number} carries UDP and cannot be a TLS listener`)
    }
    listeners.push({
      port: number,
      protocol: tls ? 'TLS' : base,
      targetProtocol: tls && settings.backendProtocol === 'ssl' ? 'TLS' : base,
      nodePort: [...nodePorts][0]!,
      portKey: entries.map((e) => e.key).join('+'),
      tls,
      portStatus: [...protocols].sort().map((protocol) => ({ port: number, protocol })),
    })
  }
  if (ports.length === 0) problems.push('the Service has no ports')
  return { listeners, problems }
}
