// Service + parsed annotations + nodes -> the desired NLB (pure). Problems that make
// the Service unservable are returned instead of a model, and nothing is changed in AWS.
import { createHash } from 'node:crypto'
import type { NodeObject, ServiceObject } from '../ports/kubernetes-objects'
import type { LoadBalancerSettings } from './annotations/settings'
import { alwaysManagedTargetGroupAttributes, targetGroupAttributeRules } from './annotations/target-group-attributes'
import { healthCheckFor } from './health-check'
import { listenersFor } from './listeners'
import type { DesiredLoadBalancer, DesiredListener, DesiredTargetGroup } from './model'
import { loadBalancerName, targetGroupName, type ServiceIdentity } from './names'
import { selectTargets, type TargetSelection } from './node-targets'
import { ownershipTags, TAG_PORT } from './tags'

export interface DesiredInput {
  cluster: string
  service: ServiceObject
  settings: LoadBalancerSettings
  nodes: readonly NodeObject[]
}

export type DesiredResult =
  | { ok: true; desired: DesiredLoadBalancer; targets: TargetSelection }
  | { ok: false; problems: string[] }

export function buildDesired({ cluster, service, settings, nodes }: DesiredInput): DesiredResult {
  const identity: ServiceIdentity = { cluster, namespace: service.metadata.namespace ?? 'default', name: service.metadata.name }
  const { listeners: plans, problems } = listenersFor(service.spec.ports ?? [], settings)
  const local = service.spec.externalTrafficPolicy === 'Local'
  const check = healthCheckFor(settings, local, service.spec.healthCheckNodePort)
  if ('problem' in check) problems.push(check.problem)
  if (problems.length > 0 || 'problem' in check) return { ok: false, problems }

  const tgAttributes = targetGroupAttributes(settings)
  const baseTags = ownershipTags(identity)
  const targetGroups: DesiredTargetGroup[] = []
  const listeners: DesiredListener[] = []
  for (const p of plans) {
    const name = targetGroupName(identity, p.portKey, p.targetProtocol, p.nodePort)
    targetGroups.push({
      name,
      portKey: p.portKey,
      protocol: p.targetProtocol,
      port: p.nodePort,
      healthCheck: check.healthCheck,
      attributes: tgAttributes,
      tags: { ...settings.additionalTags, ...baseTags, [TAG_PORT]: p.portKey },
    })
    const [certificate, ...extra] = p.tls ? settings.sslCertificates : []
    listeners.push({
      port: p.port,
      protocol: p.protocol,
      targetGroupName: name,
      certificateArn: certificate ?? null,
      extraCertificateArns: extra,
      sslPolicy: p.tls ? settings.sslPolicy : null,
      portStatus: p.portStatus,
    })
  }
  listeners.sort((a, b) => a.port - b.port)
  targetGroups.sort((a, b) => a.name.localeCompare(b.name))

  const targets = selectTargets(nodes, settings.targetNodeLabels)
  const attributes = { 'load_balancing.cross_zone.enabled': String(settings.crossZone) }
  const desired: DesiredLoadBalancer = {
    identity,
    name: loadBalancerName(identity),
    scheme: settings.scheme,
    subnets: settings.subnets,
    eipAllocations: settings.eipAllocations,
    attributes,
    tags: { ...settings.additionalTags, ...baseTags },
    listeners,
    targetGroups,
    targetInstanceIds: targets.instanceIds,
    notReadyInstanceIds: targets.notReadyInstanceIds,
    configHash: configHash(attributes, targetGroups, listeners),
  }
  return { ok: true, desired, targets }
}

function targetGroupAttributes(settings: LoadBalancerSettings): Record<string, string> {
  const managed: Record<string, string> = {}
  for (const key of alwaysManagedTargetGroupAttributes) managed[key] = targetGroupAttributeRules[key]!.awsDefault
  Object.assign(managed, settings.targetGroupAttributes)
  if (settings.proxyProtocol) managed['proxy_protocol_v2.enabled'] = 'true'
  return sortedObject(managed)
}

const sortedObject = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)))

function configHash(attributes: Record<string, string>, groups: DesiredTargetGroup[], listeners: DesiredListener[]): string {
  const content = {
    attributes: sortedObject(attributes),
    targetGroups: groups.map((g) => ({ name: g.name, attributes: g.attributes, tags: sortedObject(g.tags) })),
    // Only listeners with extra certificates, so that a plain port change keeps the hash.
    extraCertificates: listeners.filter((l) => l.extraCertificateArns.length > 0).map((l) => [l.port, l.extraCertificateArns]),
  }
  return createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 16)
}
