// The fault proxy in front of moto: the SDK recognises its throttling errors and retries
// them, an nth-call failure hits exactly that call, and every call is counted.
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2'
import { CreateLoadBalancerCommand, DeleteLoadBalancerCommand, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAwsClients } from '../../env/clients'
import { FaultProxy } from '../../env/fault-proxy'
import { throttlingError } from '../../env/fault-proxy/aws-errors'
import { createNetwork, type TestNetwork } from '../../env/fixtures/aws-network'
import { uniqueName } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'
import { eventually } from '../edge/support/eventually'

const env = sharedEnvironment()
let proxy: FaultProxy
let network: TestNetwork

beforeAll(async () => {
  proxy = await FaultProxy.start(env.motoUrl)
  network = await createNetwork(createAwsClients(env).ec2, { zones: 2 })
})

afterEach(() => {
  proxy.clearFaults()
  proxy.resetCalls()
})

afterAll(async () => {
  await proxy.close()
})

describe('throttling', () => {
  it('answers about the configured fraction of matching calls with Throttling and forwards the rest', async () => {
    proxy.throttle({ service: 'elbv2', action: 'DescribeLoadBalancers', fraction: 0.3 })
    const statuses: number[] = []
    for (let batch = 0; batch < 30; batch++) {
      statuses.push(...(await Promise.all(Array.from({ length: 10 }, () => rawElbv2Call(proxy.url, 'DescribeLoadBalancers')))))
    }
    const throttled = proxy.count({ outcome: 'throttled' })
    expect(throttled / 300).toBeGreaterThan(0.22)
    expect(throttled / 300).toBeLessThan(0.38)
    expect(statuses.filter((s) => s === 400)).toHaveLength(throttled)
    expect(statuses.filter((s) => s === 200)).toHaveLength(300 - throttled)
  })

  it('throttles only the selected action', async () => {
    proxy.throttle({ service: 'elbv2', action: 'DescribeLoadBalancers', fraction: 1 })
    expect(await rawElbv2Call(proxy.url, 'DescribeTargetGroups')).toBe(200)
    expect(await rawElbv2Call(proxy.url, 'DescribeLoadBalancers')).toBe(400)
  })

  it('is retried by the SDK until every call succeeds, each attempt counted', async () => {
    proxy.throttle({ service: 'elbv2', fraction: 0.3 })
    const { elbv2 } = createAwsClients(env, { endpoint: proxy.url, maxAttempts: 10 })
    let attempts = 0
    for (let i = 0; i < 12; i++) {
      const result = await elbv2.send(new DescribeLoadBalancersCommand({}))
      attempts += result.$metadata.attempts ?? 1
    }
    expect(proxy.count({ action: 'DescribeLoadBalancers', outcome: 'forwarded' })).toBe(12)
    expect(proxy.count({ action: 'DescribeLoadBalancers' })).toBe(attempts)
    expect(proxy.count({ outcome: 'throttled' })).toBeGreaterThan(0)
  })

  it('surfaces as a Throttling error when the SDK gives up', async () => {
    proxy.throttle({ service: 'elbv2', action: 'DescribeLoadBalancers', fraction: 1 })
    const { elbv2 } = createAwsClients(env, { endpoint: proxy.url, maxAttempts: 2 })
    await expect(elbv2.send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({
      name: 'Throttling',
      $metadata: { httpStatusCode: 400, attempts: 2 },
    })
  })

  it('uses RequestLimitExceeded for EC2 and SlowDown for S3, both retried by the SDK', async () => {
    const { ec2, s3 } = createAwsClients(env, { endpoint: proxy.url })
    proxy.failNth({ service: 'ec2', action: 'DescribeInstances', nth: 1, error: throttlingError('ec2') })
    const instances = await ec2.send(new DescribeInstancesCommand({}))
    expect(instances.$metadata.attempts).toBe(2)

    const bucket = uniqueName('fault-proxy')
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
    proxy.failNth({ service: 's3', action: 'PutObject', nth: 1, error: throttlingError('s3') })
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v' }))
    expect(put.$metadata.attempts).toBe(2)
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' }))).Body?.transformToString()).toBe('v')
    expect(proxy.calls({ outcome: 'failed' }).map((c) => `${c.service}:${c.action}`)).toEqual(['ec2:DescribeInstances', 's3:PutObject'])
  })
})

describe('nth-call failures', () => {
  it('fails exactly the nth call with an error the SDK does not retry', async () => {
    const { elbv2 } = createAwsClients(env, { endpoint: proxy.url })
    proxy.failNth({ action: 'DescribeLoadBalancers', nth: 2 })
    await elbv2.send(new DescribeLoadBalancersCommand({}))
    await expect(elbv2.send(new DescribeLoadBalancersCommand({}))).rejects.toMatchObject({ name: 'InjectedFault', $metadata: { attempts: 1 } })
    await elbv2.send(new DescribeLoadBalancersCommand({}))
    expect(proxy.calls({ action: 'DescribeLoadBalancers' }).map((c) => c.outcome)).toEqual(['forwarded', 'failed', 'forwarded'])
  })

  it("can fail a call after AWS performed it (the caller never learns it worked)", async () => {
    const { elbv2 } = createAwsClients(env, { endpoint: proxy.url })
    const name = uniqueName('fp')
    const created = await elbv2.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Subnets: network.subnets.map((s) => s.subnetId) }))
    proxy.failNth({ action: 'DeleteLoadBalancer', nth: 1, when: 'after' })
    await expect(elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: created.LoadBalancers?.[0]?.LoadBalancerArn }))).rejects.toMatchObject({
      name: 'InjectedFault',
    })
    await expect(elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }))).rejects.toMatchObject({ name: 'LoadBalancerNotFoundException' })
    expect(proxy.calls({ action: 'DeleteLoadBalancer' })).toMatchObject([{ outcome: 'failed', performed: true, mutating: true }])
  })

  it('can let AWS perform a call and never answer it (a caller killed mid-call)', async () => {
    const { elbv2 } = createAwsClients(env, { endpoint: proxy.url })
    const name = uniqueName('fp')
    proxy.failNth({ action: 'CreateLoadBalancer', nth: 1, when: 'hang' })
    const caller = new AbortController()
    const pending = elbv2.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Subnets: network.subnets.map((s) => s.subnetId) }), { abortSignal: caller.signal })
    await eventually(async () => proxy.count({ outcome: 'hung' }), (n) => n === 1, 'the call to be held')
    caller.abort()
    await expect(pending).rejects.toThrow()
    const found = await elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }))
    expect(found.LoadBalancers?.[0]?.LoadBalancerName).toBe(name)
    expect(proxy.calls({ action: 'CreateLoadBalancer' })).toMatchObject([{ outcome: 'hung', performed: true }])
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: found.LoadBalancers?.[0]?.LoadBalancerArn }))
  })
})

describe('counting', () => {
  it('counts calls per service and action, mutating apart from reads', async () => {
    const { elbv2, ec2 } = createAwsClients(env, { endpoint: proxy.url })
    const name = uniqueName('count')
    const created = await elbv2.send(new CreateLoadBalancerCommand({ Name: name, Type: 'network', Subnets: network.subnets.map((s) => s.subnetId) }))
    await elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }))
    await elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] }))
    await ec2.send(new DescribeInstancesCommand({}))
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: created.LoadBalancers?.[0]?.LoadBalancerArn }))
    expect(proxy.countsByAction()).toEqual({
      'elbv2:CreateLoadBalancer': 1,
      'elbv2:DescribeLoadBalancers': 2,
      'ec2:DescribeInstances': 1,
      'elbv2:DeleteLoadBalancer': 1,
    })
    expect(proxy.count({ service: 'elbv2', mutating: true })).toBe(2)
    expect(proxy.count({ service: 'elbv2', mutating: false })).toBe(2)
  })
})

/** A bare ELBv2 query call, signed-looking (moto does not check signatures). */
async function rawElbv2Call(url: string, action: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20250101/${env.region}/elasticloadbalancing/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: `Action=${action}&Version=2015-12-01`,
  })
  await response.arrayBuffer()
  return response.status
}
