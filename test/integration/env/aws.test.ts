// moto answers the AWS calls the controller and the publisher make, through the real SDK.
import { DescribeInstancesCommand, DescribeSubnetsCommand } from '@aws-sdk/client-ec2'
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAwsClients } from '../../env/clients'
import { createNetwork, launchInstances, type TestInstance, type TestNetwork } from '../../env/fixtures/aws-network'
import { uniqueName } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'

const env = sharedEnvironment()
const { ec2, elbv2, s3 } = createAwsClients(env)
const cluster = uniqueName('env-aws')
let network: TestNetwork
let instances: TestInstance[]

beforeAll(async () => {
  network = await createNetwork(ec2, { zones: 3, tags: { 'edge-ingress.io/test': cluster } })
  instances = await launchInstances(ec2, network, { count: 3 })
})

describe('EC2 fixtures', () => {
  it('creates one subnet per availability zone in the VPC', async () => {
    const result = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: network.subnets.map((s) => s.subnetId) }))
    const zones = result.Subnets?.map((s) => s.AvailabilityZone).sort()
    expect(new Set(zones).size).toBe(3)
    expect(result.Subnets?.every((s) => s.VpcId === network.vpcId)).toBe(true)
  })

  it('launches running instances spread over the zones', async () => {
    const result = await ec2.send(new DescribeInstancesCommand({ InstanceIds: instances.map((i) => i.instanceId) }))
    const described = result.Reservations?.flatMap((r) => r.Instances ?? []) ?? []
    expect(described.map((i) => i.State?.Name)).toEqual(['running', 'running', 'running'])
    expect(new Set(instances.map((i) => i.zone)).size).toBe(3)
    expect(instances.every((i) => i.privateIpAddress && i.privateDnsName)).toBe(true)
  })
})

describe('ELBv2 in moto', () => {
  it('creates a network load balancer with a listener and instance targets, found by tags, then deletes it', async () => {
    const tags = [{ Key: 'edge-ingress.io/cluster', Value: cluster }]
    const created = await elbv2.send(
      new CreateLoadBalancerCommand({ Name: cluster, Type: 'network', Scheme: 'internet-facing', Subnets: network.subnets.map((s) => s.subnetId), Tags: tags }),
    )
    const balancer = created.LoadBalancers?.[0]
    expect(balancer?.DNSName).toBeTruthy()
    const group = await elbv2.send(
      new CreateTargetGroupCommand({ Name: `${cluster}-tg`, Protocol: 'TCP', Port: 30080, VpcId: network.vpcId, TargetType: 'instance', HealthCheckProtocol: 'TCP' }),
    )
    const targetGroupArn = group.TargetGroups?.[0]?.TargetGroupArn
    await elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: targetGroupArn, Targets: instances.map((i) => ({ Id: i.instanceId, Port: 30080 })) }))
    await elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: balancer?.LoadBalancerArn, Protocol: 'TCP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }] }),
    )
    await elbv2.send(new AddTagsCommand({ ResourceArns: [targetGroupArn!], Tags: tags }))

    const health = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }))
    expect(health.TargetHealthDescriptions?.map((t) => t.Target?.Id).sort()).toEqual(instances.map((i) => i.instanceId).sort())
    const described = await elbv2.send(new DescribeTagsCommand({ ResourceArns: [balancer!.LoadBalancerArn!, targetGroupArn!] }))
    expect(described.TagDescriptions?.map((d) => d.Tags)).toEqual([tags, tags])

    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: balancer?.LoadBalancerArn }))
    await expect(elbv2.send(new DescribeLoadBalancersCommand({ Names: [cluster] }))).rejects.toMatchObject({ name: 'LoadBalancerNotFoundException' })
  })
})

describe('S3 in moto', () => {
  it('stores and returns an object, and answers a conditional GET with 304', async () => {
    const bucket = uniqueName('route-tables')
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'tables/c1.json', Body: '{"schemaVersion":1}', ContentType: 'application/json' }))
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'tables/c1.json' }))
    expect(await got.Body?.transformToString()).toBe('{"schemaVersion":1}')
    expect(got.ETag).toBe(put.ETag)
    await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'tables/c1.json', IfNoneMatch: put.ETag }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 304 },
    })
  })
})
