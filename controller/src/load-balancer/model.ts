// The desired NLB for one Service (built by desired.ts) and what exists in AWS for it
// (read by observe.ts). plan.ts turns the difference into actions.
import type { PortStatus } from '../ports/kubernetes-objects'
import type {
  HealthCheck,
  ListenerDescription,
  ListenerProtocol,
  LoadBalancerDescription,
  RegisteredTarget,
  Scheme,
  TargetGroupDescription,
  TargetGroupProtocol,
  Tags,
} from '../ports/elbv2'
import type { ServiceIdentity } from './names'

export interface DesiredTargetGroup {
  name: string
  /** Which Service port(s) it serves: the port name, or its index when unnamed; "a+b" for TCP_UDP. */
  portKey: string
  protocol: TargetGroupProtocol
  /** The nodePort every target is registered on. */
  port: number
  healthCheck: HealthCheck
  /** Attributes the controller manages, with their desired values. */
  attributes: Record<string, string>
  tags: Tags
}

export interface DesiredListener {
  port: number
  protocol: ListenerProtocol
  targetGroupName: string
  certificateArn: string | null
  extraCertificateArns: string[]
  sslPolicy: string | null
  /** What status.loadBalancer.ingress[].ports reports for this listener. */
  portStatus: PortStatus[]
}

export interface DesiredLoadBalancer {
  identity: ServiceIdentity
  name: string
  scheme: Scheme
  /** Subnet ids or Name tags from the annotation; null = discover by tags when creating. */
  subnets: string[] | null
  eipAllocations: string[] | null
  attributes: Record<string, string>
  /** Ownership and user tags (the config-hash tag is added by the plan, last). */
  tags: Tags
  listeners: DesiredListener[]
  targetGroups: DesiredTargetGroup[]
  /** Instance ids of ready, eligible nodes. */
  targetInstanceIds: string[]
  /** Instance ids of eligible nodes that are not Ready (kept registered while they are the majority). */
  notReadyInstanceIds: string[]
  /** Hash of what the steady state does not read back: attributes, target group tags, extra certificates. */
  configHash: string
}

export interface ObservedTargetGroup extends TargetGroupDescription {
  /** null when not read (the group is about to be deleted). */
  targets: RegisteredTarget[] | null
}

export interface ObservedListener extends ListenerDescription {
  /** null when not read (not a TLS listener, or the config hash matched). */
  extraCertificateArns: string[] | null
}

/** Read only when the balancer's config-hash tag differs from the desired one. */
export interface ObservedConfig {
  loadBalancerAttributes: Record<string, string>
  targetGroupAttributes: Record<string, Record<string, string>>
  targetGroupTags: Record<string, Tags>
}

export interface ObservedState {
  /** Balancers tagged for this Service; normally one, more only after an earlier failure. */
  loadBalancers: (LoadBalancerDescription & { tags: Tags })[]
  listeners: ObservedListener[]
  targetGroups: ObservedTargetGroup[]
  config: ObservedConfig | null
}
