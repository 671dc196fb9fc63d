// Port to the ELBv2 API (Network Load Balancers), in our own types. The adapter in
// adapters/aws/ batches (20 ARNs per Describe), pages, rate-limits, retries throttling
// and counts every call; callers see whole results or an AwsApiError.

export type Tags = Record<string, string>
export type Scheme = 'internet-facing' | 'internal'
export type IpAddressType = 'ipv4' | 'dualstack'
export type ListenerProtocol = 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS'
export type TargetGroupProtocol = 'TCP' | 'UDP' | 'TCP_UDP' | 'TLS'

export interface HealthCheck {
  protocol: 'TCP' | 'HTTP' | 'HTTPS'
  /** 'traffic-port' or a port number as a string, as ELBv2 spells it. */
  port: string
  /** Only for HTTP/HTTPS. */
  path: string | null
  intervalSeconds: number
  timeoutSeconds: number
  healthyThreshold: number
  unhealthyThreshold: number
}

export interface LoadBalancerDescription {
  arn: string
  name: string
  dnsName: string
  scheme: Scheme
  type: string
  vpcId: string
  state: string
  ipAddressType: IpAddressType
  subnetIds: string[]
  /** Elastic IP allocation ids per subnet, when ELBv2 reports them. */
  allocationIds: string[]
}

export interface TargetGroupDescription {
  arn: string
  name: string
  protocol: string
  port: number
  vpcId: string
  targetType: string
  loadBalancerArns: string[]
  healthCheck: HealthCheck
}

export interface ListenerDescription {
  arn: string
  loadBalancerArn: string
  port: number
  protocol: string
  /** The default certificate (TLS listeners). */
  certificateArn: string | null
  sslPolicy: string | null
  alpnPolicy: string | null
  /** Forward targets of the default action. */
  targetGroupArns: string[]
}

export interface RegisteredTarget {
  id: string
  port: number
  state: string
}

export interface CreateLoadBalancerInput {
  name: string
  scheme: Scheme
  ipAddressType: IpAddressType
  subnetIds: string[]
  /** One per subnet, in subnet order, when static addresses are wanted. */
  eipAllocations: string[] | null
  tags: Tags
}

export interface CreateTargetGroupInput {
  name: string
  protocol: TargetGroupProtocol
  port: number
  vpcId: string
  healthCheck: HealthCheck
  tags: Tags
}

export interface ListenerSpec {
  port: number
  protocol: ListenerProtocol
  targetGroupArn: string
  certificateArn: string | null
  sslPolicy: string | null
  alpnPolicy: string | null
}

export interface LoadBalancingApi {
  /** Every load balancer in the account and region (paged). */
  listLoadBalancers(): Promise<LoadBalancerDescription[]>
  /** Every target group in the account and region (paged). */
  listTargetGroups(): Promise<TargetGroupDescription[]>
  describeLoadBalancers(arns: string[]): Promise<LoadBalancerDescription[]>
  /** By exact name; names that do not exist are left out (never an error). */
  findLoadBalancerByName(name: string): Promise<LoadBalancerDescription | null>
  findTargetGroupByName(name: string): Promise<TargetGroupDescription | null>
  describeTargetGroups(arns: string[]): Promise<TargetGroupDescription[]>
  describeTags(arns: string[]): Promise<Map<string, Tags>>
  describeListeners(loadBalancerArn: string): Promise<ListenerDescription[]>
  /** Non-default certificates of a TLS listener. */
  describeListenerExtraCertificates(listenerArn: string): Promise<string[]>
  describeTargets(targetGroupArn: string): Promise<RegisteredTarget[]>
  describeLoadBalancerAttributes(arn: string): Promise<Record<string, string>>
  describeTargetGroupAttributes(arn: string): Promise<Record<string, string>>

  createLoadBalancer(input: CreateLoadBalancerInput): Promise<LoadBalancerDescription>
  createTargetGroup(input: CreateTargetGroupInput): Promise<TargetGroupDescription>
  createListener(loadBalancerArn: string, spec: ListenerSpec, tags: Tags): Promise<ListenerDescription>
  modifyListener(listenerArn: string, spec: ListenerSpec): Promise<void>
  modifyTargetGroupHealthCheck(arn: string, healthCheck: HealthCheck): Promise<void>
  modifyLoadBalancerAttributes(arn: string, attributes: Record<string, string>): Promise<void>
  modifyTargetGroupAttributes(arn: string, attributes: Record<string, string>): Promise<void>
  addTags(arn: string, tags: Tags): Promise<void>
  removeTags(arn: string, keys: string[]): Promise<void>
  registerTargets(targetGroupArn: string, instanceIds: string[]): Promise<void>
  deregisterTargets(targetGroupArn: string, targets: { id: string; port: number }[]): Promise<void>
  addListenerCertificates(listenerArn: string, certificateArns: string[]): Promise<void>
  removeListenerCertificates(listenerArn: string, certificateArns: string[]): Promise<void>
  deleteListener(arn: string): Promise<void>
  deleteLoadBalancer(arn: string): Promise<void>
  deleteTargetGroup(arn: string): Promise<void>
}

/** An AWS API error after the adapter's own retries, with the service's error code. */
export class AwsApiError extends Error {
  override readonly name = 'AwsApiError'
  constructor(
    readonly action: string,
    readonly code: string,
    message: string,
    readonly throttled = false,
  ) {
    super(`${action}: ${code}: ${message}`)
  }
}

export const isAwsError = (error: unknown, ...codes: string[]): error is AwsApiError =>
  error instanceof AwsApiError && (codes.length === 0 || codes.includes(error.code))
