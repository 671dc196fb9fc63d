import { describe, expect, it } from 'vitest'
import { ConfigError, CONTEXT_KEYS, parseConfig, readContext, type RawContext } from './config'

const minimal: RawContext = { account: '123456789012', region: 'eu-west-1', clusterName: 'prod-eu' }

function problemsOf(raw: RawContext, env: Record<string, string> = {}): readonly string[] {
  try {
    parseConfig(raw, env)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfig', () => {
  it('fills every default from three keys', () => {
    expect(parseConfig(minimal)).toEqual({
      account: '123456789012',
      region: 'eu-west-1',
      clusterName: 'prod-eu',
      edgeMode: 'function-url',
      edgeRegion: 'eu-west-1',
      routeTableBucketName: 'edge-ingress-routes-123456789012-eu-west-1',
      controller: { identity: 'pod-identity', namespace: 'edge-ingress', serviceAccount: 'edge-ingress-controller' },
      logRetentionDays: 30,
    })
  })

  it('takes account and region from the CDK environment when the context has none', () => {
    const config = parseConfig({ clusterName: 'c1' }, { CDK_DEFAULT_ACCOUNT: '210987654321', CDK_DEFAULT_REGION: 'us-west-2' })
    expect([config.account, config.region]).toEqual(['210987654321', 'us-west-2'])
  })

  it('names every missing required key at once', () => {
    expect(problemsOf({})).toEqual(['account: is required', 'region: is required', 'clusterName: is required'])
  })

  it('puts lambda-edge mode in us-east-1 whatever the cluster region', () => {
    const config = parseConfig({ ...minimal, edgeMode: 'lambda-edge' })
    expect([config.edgeRegion, config.routeTableBucketName]).toEqual(['us-east-1', 'edge-ingress-routes-123456789012-us-east-1'])
  })

  it('splits comma-separated lists from the command line', () => {
    const config = parseConfig({
      ...minimal,
      vpcId: 'vpc-0123456789abcdef0',
      vpcSubnetIds: 'subnet-0aaaaaaaaaaaaaaaa, subnet-0bbbbbbbbbbbbbbbb',
      domainNames: 'shop.example.com,*.api.example.com',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666',
    })
    expect(config.vpc).toEqual({ vpcId: 'vpc-0123456789abcdef0', subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'] })
    expect(config.domain?.names).toEqual(['shop.example.com', '*.api.example.com'])
  })

  it('takes the clusters the edge merges as a comma-separated list', () => {
    expect(parseConfig({ ...minimal, edgeClusters: 'prod-eu, prod-us' }).edgeClusters).toEqual(['prod-eu', 'prod-us'])
    expect(parseConfig(minimal).edgeClusters).toBeUndefined()
  })

  it('coerces logRetentionDays and refuses values CloudWatch does not accept', () => {
    expect(parseConfig({ ...minimal, logRetentionDays: '90' }).logRetentionDays).toBe(90)
    expect(problemsOf({ ...minimal, logRetentionDays: '31' })[0]).toMatch(/^logRetentionDays: must be one of 1, 3, 5/)
  })

  it.each<[string, RawContext, string]>([
    ['a bad account', { account: '1234' }, 'account: must be a 12-digit AWS account id'],
    ['a bad region', { region: 'europe' }, 'region: must be an AWS region such as eu-west-1'],
    ['a bad cluster name', { clusterName: 'has space' }, 'clusterName: must be an EKS cluster name: letters, digits, - and _, at most 100'],
    ['a bad edge cluster name', { edgeClusters: 'prod-eu,has/slash' }, 'edgeClusters: must list cluster names (each an EKS cluster name: letters, digits, - and _, at most 100)'],
    ['an unknown mode', { edgeMode: 'nginx' }, 'edgeMode: Invalid option: expected one of "function-url"|"lambda-edge"'],
    ['a VPC without subnets', { vpcId: 'vpc-0123456789abcdef0' }, 'vpcId and vpcSubnetIds: give both or neither'],
    ['a malformed subnet id', { vpcId: 'vpc-0123456789abcdef0', vpcSubnetIds: 'sn-1' }, 'vpcSubnetIds: must list subnet ids (subnet-...)'],
    ['a VPC with Lambda@Edge', { edgeMode: 'lambda-edge', vpcId: 'vpc-0123456789abcdef0', vpcSubnetIds: 'subnet-0aaaaaaaaaaaaaaaa' }, 'vpcId: Lambda@Edge functions cannot run in a VPC; use edgeMode function-url'],
    ['a VPC in another region than the edge', { edgeRegion: 'eu-central-1', vpcId: 'vpc-0123456789abcdef0', vpcSubnetIds: 'subnet-0aaaaaaaaaaaaaaaa' }, 'edgeRegion: must equal region (eu-west-1) when vpcId is set, the VPC lives there'],
    ['Lambda@Edge outside us-east-1', { edgeMode: 'lambda-edge', edgeRegion: 'eu-west-1' }, 'edgeRegion: lambda-edge mode deploys to us-east-1, got eu-west-1'],
    ['a domain without certificate', { domainNames: 'a.example.com' }, 'domainNames and certificateArn: give both or neither'],
    ['a certificate outside us-east-1', { domainNames: 'a.example.com', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d' }, 'certificateArn: CloudFront needs a certificate in us-east-1, got one in eu-west-1'],
    ['IRSA without OIDC provider', { controllerIdentity: 'irsa' }, "oidcProviderArn: is required with controllerIdentity 'irsa'"],
    ['an OIDC provider with Pod Identity', { oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC' }, "oidcProviderArn: only used with controllerIdentity 'irsa'"],
    ['an upper-case namespace', { controllerNamespace: 'Edge' }, 'controllerNamespace: must be a Kubernetes namespace name'],
    ['a bad topic', { alarmTopicArn: 'my-topic' }, 'alarmTopicArn: must be an SNS topic ARN'],
  ])('refuses %s with a message naming the key', (_, change, message) => {
    expect(problemsOf({ ...minimal, ...change })).toEqual([message])
  })

  it('formats every problem in the error message with where to fix it', () => {
    expect(() => parseConfig({ ...minimal, account: 'x', region: 'y' })).toThrow(/account: must be a 12-digit[\s\S]*region: must be an AWS region[\s\S]*docs\/install-aws\.md/)
  })
})

describe('readContext', () => {
  it('asks the getter for every documented key and nothing else', () => {
    const asked: string[] = []
    readContext((key) => asked.push(key) && undefined)
    expect(asked).toContain('clusterName')
    expect(asked).toEqual(Object.keys(CONTEXT_KEYS))
  })
})
