// Test support for the golden tests: a default node set, YAML case loading, and
// "materialize", which builds the ObservedState that a fully applied desired model
// would leave in AWS (fake ARNs), so plan cases can start from a realistic state.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import type { NodeObject, ServiceObject } from '../../ports/kubernetes-objects'
import type { DesiredLoadBalancer, ObservedState } from '../model'
import { TAG_CONFIG } from '../tags'

export const testdata = (...parts: string[]) => join(import.meta.dirname, ...parts)

export function loadCases<T>(dir: string): { name: string; input: T }[] {
  return readdirSync(testdata(dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: f.replace(/\.yaml$/, ''), input: parse(readFileSync(testdata(dir, f), 'utf8')) as T }))
}

export function node(name: string, instance: string | null, options: { ready?: boolean; labels?: Record<string, string>; taints?: string[] } = {}): NodeObject {
  return {
    metadata: { name, labels: options.labels ?? {} },
    spec: {
      ...(instance ? { providerID: `aws:///us-east-1a/${instance}` } : {}),
      taints: (options.taints ?? []).map((key) => ({ key, effect: 'NoSchedule' })),
    },
    status: { conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }] },
  }
}

export const defaultNodes: NodeObject[] = [
  node('node-a', 'i-0000000000000000a'),
  node('node-b', 'i-0000000000000000b'),
  node('node-c', 'i-0000000000000000c', { ready: false }),
]

export interface ServiceCase {
  service: ServiceObject
  nodes?: NodeObject[]
}

const arn = (kind: string, name: string) => `arn:aws:elasticloadbalancing:us-east-1:123456789012:${kind}/net/${name}/0000`

export function materialize(desired: DesiredLoadBalancer, subnetIds = ['subnet-00000001', 'subnet-00000002']): ObservedState {
  const lbArn = arn('loadbalancer', desired.name)
  const groups = desired.targetGroups.map((g) => ({
    arn: arn('targetgroup', g.name),
    name: g.name,
    protocol: g.protocol,
    port: g.port,
    vpcId: 'vpc-00000001',
    targetType: 'instance',
    loadBalancerArns: [lbArn],
    healthCheck: g.healthCheck,
    targets: desired.targetInstanceIds.map((id) => ({ id, port: g.port, state: 'healthy' })),
  }))
  const groupArn = new Map(groups.map((g) => [g.name, g.arn]))
  return {
    loadBalancers: [
      {
        arn: lbArn,
        name: desired.name,
        dnsName: `${desired.name}-1.us-east-1.elb.amazonaws.com`,
        scheme: desired.scheme,
        type: 'network',
        vpcId: 'vpc-00000001',
        state: 'active',
        ipAddressType: 'ipv4',
        subnetIds,
        allocationIds: desired.eipAllocations ?? [],
        tags: { ...desired.tags, [TAG_CONFIG]: desired.configHash },
      },
    ],
    listeners: desired.listeners.map((l) => ({
      arn: `${lbArn.replace(':loadbalancer/', ':listener/')}/${l.port}`,
      loadBalancerArn: lbArn,
      port: l.port,
      protocol: l.protocol,
      certificateArn: l.certificateArn,
      sslPolicy: l.sslPolicy,
      alpnPolicy: null,
      targetGroupArns: [groupArn.get(l.targetGroupName)!],
      extraCertificateArns: null,
    })),
    targetGroups: groups,
    config: null,
  }
}
