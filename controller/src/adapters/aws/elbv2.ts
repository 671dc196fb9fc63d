// LoadBalancingApi on the AWS SDK's ELBv2 client: pages list calls, splits reads into
// batches of 20 ARNs (the API's limit), registers targets in batches, and sends every
// call through the AwsCaller (rate limit, throttling retries, metrics).
import {
  AddListenerCertificatesCommand,
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  RemoveListenerCertificatesCommand,
  RemoveTagsCommand,
  type ProtocolEnum,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import {
  isAwsError,
  type CreateLoadBalancerInput,
  type CreateTargetGroupInput,
  type HealthCheck,
  type ListenerDescription,
  type ListenerSpec,
  type LoadBalancerDescription,
  type LoadBalancingApi,
  type RegisteredTarget,
  type TargetGroupDescription,
  type Tags,
} from '../../ports/elbv2'
import type { AwsCaller } from './aws-caller'
import { fromAttributeMap, fromTags, healthCheckParams, toAttributeMap, toListener, toLoadBalancer, toTargetGroup } from './elbv2-mapping'

const DESCRIBE_BATCH = 20
const TARGET_BATCH = 100
const PAGE_SIZE = 400

export const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, i * size + size))

export class Elbv2Adapter implements LoadBalancingApi {
  constructor(
    private readonly client: ElasticLoadBalancingV2Client,
    private readonly caller: AwsCaller,
  ) {}

  private send<T>(action: string, command: { input: unknown }): Promise<T> {
    return this.caller.call('elbv2', action, (abortSignal) => this.client.send(command as never, { abortSignal }) as Promise<T>)
  }

  async listLoadBalancers(): Promise<LoadBalancerDescription[]> {
    const out: LoadBalancerDescription[] = []
    let marker: string | undefined
    do {
      const page = await this.send<{ LoadBalancers?: []; NextMarker?: string }>(
        'DescribeLoadBalancers',
        new DescribeLoadBalancersCommand({ PageSize: PAGE_SIZE, Marker: marker }),
      )
      out.push(...(page.LoadBalancers ?? []).map(toLoadBalancer))
      marker = page.NextMarker
    } while (marker)
    return out
  }

  async listTargetGroups(): Promise<TargetGroupDescription[]> {
    const out: TargetGroupDescription[] = []
    let marker: string | undefined
    do {
      const page = await this.send<{ TargetGroups?: []; NextMarker?: string }>(
        'DescribeTargetGroups',
        new DescribeTargetGroupsCommand({ PageSize: PAGE_SIZE, Marker: marker }),
      )
      out.push(...(page.TargetGroups ?? []).map(toTargetGroup))
      marker = page.NextMarker
    } while (marker)
    return out
  }

  describeLoadBalancers(arns: string[]): Promise<LoadBalancerDescription[]> {
    return this.batchedSkippingMissing(arns, 'LoadBalancerNotFound', async (batch) => {
      const r = await this.send<{ LoadBalancers?: [] }>('DescribeLoadBalancers', new DescribeLoadBalancersCommand({ LoadBalancerArns: batch }))
      return (r.LoadBalancers ?? []).map(toLoadBalancer)
    })
  }

  describeTargetGroups(arns: string[]): Promise<TargetGroupDescription[]> {
    return this.batchedSkippingMissing(arns, 'TargetGroupNotFound', async (batch) => {
      const r = await this.send<{ TargetGroups?: [] }>('DescribeTargetGroups', new DescribeTargetGroupsCommand({ TargetGroupArns: batch }))
      return (r.TargetGroups ?? []).map(toTargetGroup)
    })
  }

  async findLoadBalancerByName(name: string): Promise<LoadBalancerDescription | null> {
    try {
      const r = await this.send<{ LoadBalancers?: [] }>('DescribeLoadBalancers', new DescribeLoadBalancersCommand({ Names: [name] }))
      return (r.LoadBalancers ?? []).map(toLoadBalancer)[0] ?? null
    } catch (error) {
      if (isAwsError(error, 'LoadBalancerNotFound')) return null
      throw error
    }
  }

  async findTargetGroupByName(name: string): Promise<TargetGroupDescription | null> {
    try {
      const r = await this.send<{ TargetGroups?: [] }>('DescribeTargetGroups', new DescribeTargetGroupsCommand({ Names: [name] }))
      return (r.TargetGroups ?? []).map(toTargetGroup)[0] ?? null
    } catch (error) {
      if (isAwsError(error, 'TargetGroupNotFound')) return null
      throw error
    }
  }

  async describeTags(arns: string[]): Promise<Map<string, Tags>> {
    const pairs = await this.batchedSkippingMissing(arns, ['LoadBalancerNotFound', 'TargetGroupNotFound', 'ListenerNotFound'], async (batch) => {
      const r = await this.send<{ TagDescriptions?: { ResourceArn?: string; Tags?: { Key?: string; Value?: string }[] }[] }>(
        'DescribeTags',
        new DescribeTagsCommand({ ResourceArns: batch }),
      )
      return (r.TagDescriptions ?? []).map((d) => [d.ResourceArn ?? '', toAttributeMap(d.Tags)] as const)
    })
    return new Map(pairs)
  }

  async describeListeners(loadBalancerArn: string): Promise<ListenerDescription[]> {
    const out: ListenerDescription[] = []
    let marker: string | undefined
    do {
      const page = await this.send<{ Listeners?: []; NextMarker?: string }>(
        'DescribeListeners',
        new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker }),
      )
      out.push(...(page.Listeners ?? []).map(toListener))
      marker = page.NextMarker
    } while (marker)
    return out
  }

  async describeListenerExtraCertificates(listenerArn: string): Promise<string[]> {
    const r = await this.send<{ Certificates?: { CertificateArn?: string; IsDefault?: boolean }[] }>(
      'DescribeListenerCertificates',
      new DescribeListenerCertificatesCommand({ ListenerArn: listenerArn }),
    )
    return (r.Certificates ?? []).filter((c) => !c.IsDefault && c.CertificateArn).map((c) => c.CertificateArn!)
  }

  async describeTargets(targetGroupArn: string): Promise<RegisteredTarget[]> {
    const r = await this.send<{ TargetHealthDescriptions?: { Target?: { Id?: string; Port?: number }; TargetHealth?: { State?: string } }[] }>(
      'DescribeTargetHealth',
      new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
    )
    return (r.TargetHealthDescriptions ?? [])
      .filter((d) => d.Target?.Id)
      .map((d) => ({ id: d.Target!.Id!, port: Number(d.Target!.Port ?? 0), state: d.TargetHealth?.State ?? 'unknown' }))
  }

  async describeLoadBalancerAttributes(arn: string): Promise<Record<string, string>> {
    const r = await this.send<{ Attributes?: [] }>('DescribeLoadBalancerAttributes', new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }))
    return toAttributeMap(r.Attributes)
  }

  async describeTargetGroupAttributes(arn: string): Promise<Record<string, string>> {
    const r = await this.send<{ Attributes?: [] }>('DescribeTargetGroupAttributes', new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }))
    return toAttributeMap(r.Attributes)
  }

  async createLoadBalancer(input: CreateLoadBalancerInput): Promise<LoadBalancerDescription> {
    const placement = input.eipAllocations
      ? { SubnetMappings: input.subnetIds.map((SubnetId, i) => ({ SubnetId, AllocationId: input.eipAllocations![i] })) }
      : { Subnets: input.subnetIds }
    const r = await this.send<{ LoadBalancers?: [] }>(
      'CreateLoadBalancer',
      new CreateLoadBalancerCommand({
        Name: input.name,
        Type: 'network',
        Scheme: input.scheme,
        IpAddressType: input.ipAddressType,
        ...placement,
        Tags: fromTags(input.tags),
      }),
    )
    const created = (r.LoadBalancers ?? []).map(toLoadBalancer)[0]
    if (!created) throw new Error(`CreateLoadBalancer ${input.name} returned no load balancer`)
    return created
  }

  async createTargetGroup(input: CreateTargetGroupInput): Promise<TargetGroupDescription> {
    const r = await this.send<{ TargetGroups?: [] }>(
      'CreateTargetGroup',
      new CreateTargetGroupCommand({
        Name: input.name,
        Protocol: input.protocol,
        Port: input.port,
        VpcId: input.vpcId,
        TargetType: 'instance',
        ...healthCheckParams(input.healthCheck),
        Tags: fromTags(input.tags),
      }),
    )
    const created = (r.TargetGroups ?? []).map(toTargetGroup)[0]
    if (!created) throw new Error(`CreateTargetGroup ${input.name} returned no target group`)
    return created
  }

  async createListener(loadBalancerArn: string, spec: ListenerSpec, tags: Tags): Promise<ListenerDescription> {
    const r = await this.send<{ Listeners?: [] }>(
      'CreateListener',
      new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, ...listenerParams(spec), Tags: fromTags(tags) }),
    )
    const created = (r.Listeners ?? []).map(toListener)[0]
    if (!created) throw new Error(`CreateListener :${spec.port} returned no listener`)
    return created
  }

  async modifyListener(listenerArn: string, spec: ListenerSpec): Promise<void> {
    await this.send('ModifyListener', new ModifyListenerCommand({ ListenerArn: listenerArn, ...listenerParams(spec) }))
  }

  async modifyTargetGroupHealthCheck(arn: string, healthCheck: HealthCheck): Promise<void> {
    await this.send('ModifyTargetGroup', new ModifyTargetGroupCommand({ TargetGroupArn: arn, ...healthCheckParams(healthCheck) }))
  }

  async modifyLoadBalancerAttributes(arn: string, attributes: Record<string, string>): Promise<void> {
    await this.send('ModifyLoadBalancerAttributes', new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: fromAttributeMap(attributes) }))
  }

  async modifyTargetGroupAttributes(arn: string, attributes: Record<string, string>): Promise<void> {
    await this.send('ModifyTargetGroupAttributes', new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: fromAttributeMap(attributes) }))
  }

  async addTags(arn: string, tags: Tags): Promise<void> {
    await this.send('AddTags', new AddTagsCommand({ ResourceArns: [arn], Tags: fromTags(tags) }))
  }

  async removeTags(arn: string, keys: string[]): Promise<void> {
    await this.send('RemoveTags', new RemoveTagsCommand({ ResourceArns: [arn], TagKeys: keys }))
  }

  async registerTargets(targetGroupArn: string, instanceIds: string[]): Promise<void> {
    for (const batch of chunks(instanceIds, TARGET_BATCH))
      await this.send('RegisterTargets', new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: batch.map((Id) => ({ Id })) }))
  }

  async deregisterTargets(targetGroupArn: string, targets: { id: string; port: number }[]): Promise<void> {
    for (const batch of chunks(targets, TARGET_BATCH))
      await this.send(
        'DeregisterTargets',
        new DeregisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: batch.map((t) => ({ Id: t.id, Port: t.port })) }),
      )
  }

  async addListenerCertificates(listenerArn: string, certificateArns: string[]): Promise<void> {
    await this.send('AddListenerCertificates', new AddListenerCertificatesCommand({ ListenerArn: listenerArn, Certificates: certificateArns.map((CertificateArn) => ({ CertificateArn })) }))
  }

  async removeListenerCertificates(listenerArn: string, certificateArns: string[]): Promise<void> {
    await this.send('RemoveListenerCertificates', new RemoveListenerCertificatesCommand({ ListenerArn: listenerArn, Certificates: certificateArns.map((CertificateArn) => ({ CertificateArn })) }))
  }

  async deleteListener(arn: string): Promise<void> {
    await this.send('DeleteListener', new DeleteListenerCommand({ ListenerArn: arn }))
  }

  async deleteLoadBalancer(arn: string): Promise<void> {
    await this.send('DeleteLoadBalancer', new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }))
  }

  async deleteTargetGroup(arn: string): Promise<void> {
    await this.send('DeleteTargetGroup', new DeleteTargetGroupCommand({ TargetGroupArn: arn }))
  }

  /** Reads in batches of 20; a batch naming a resource that is gone is retried one ARN at a time, skipping the missing ones. */
  private async batchedSkippingMissing<T>(arns: string[], missingCodes: string | string[], read: (batch: string[]) => Promise<readonly T[]>): Promise<T[]> {
    const codes = Array.isArray(missingCodes) ? missingCodes : [missingCodes]
    const out: T[] = []
    for (const batch of chunks([...new Set(arns)], DESCRIBE_BATCH)) {
      try {
        out.push(...(await read(batch)))
      } catch (error) {
        if (!isAwsError(error, ...codes)) throw error
        if (batch.length === 1) continue
        for (const arn of batch) {
          try {
            out.push(...(await read([arn])))
          } catch (single) {
            if (!isAwsError(single, ...codes)) throw single
          }
        }
      }
    }
    return out
  }
}

function listenerParams(spec: ListenerSpec) {
  const tls = spec.protocol === 'TLS'
  return {
    Port: spec.port,
    Protocol: spec.protocol as ProtocolEnum,
    DefaultActions: [{ Type: 'forward' as const, TargetGroupArn: spec.targetGroupArn }],
    ...(tls && spec.certificateArn ? { Certificates: [{ CertificateArn: spec.certificateArn }] } : {}),
    ...(tls && spec.sslPolicy ? { SslPolicy: spec.sslPolicy } : {}),
    ...(tls && spec.alpnPolicy ? { AlpnPolicy: [spec.alpnPolicy] } : {}),
  }
}
