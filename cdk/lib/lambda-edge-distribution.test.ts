import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { App, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { describe, expect, it } from 'vitest'
import { LambdaEdgeDistribution } from './lambda-edge-distribution'

const ECHO_HANDLER = new URL('../testdata/config-echo-handler.ts', import.meta.url).pathname

function build(region = 'us-east-1', bucketName?: string, clusters?: string[]) {
  const app = new App()
  const stack = new Stack(app, 'Edge', { env: { account: '123456789012', region } })
  const routeTableBucket = bucketName ? s3.Bucket.fromBucketName(stack, 'Tables', bucketName) : new s3.Bucket(stack, 'Tables')
  const construct = new LambdaEdgeDistribution(stack, 'Entry', {
    routeTableBucket,
    logBucket: new s3.Bucket(stack, 'Logs', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED }),
    entry: ECHO_HANDLER,
    clusters,
  })
  return { app, stack, construct }
}

describe('LambdaEdgeDistribution', { timeout: 120_000 }, () => {
  it('routes every origin request through the function version, forwarding all viewer headers and caching nothing', () => {
    const template = Template.fromStack(build('us-east-1', 'route-tables-test').stack)
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        DefaultCacheBehavior: Match.objectLike({
          LambdaFunctionAssociations: [{ EventType: 'origin-request', LambdaFunctionARN: { Ref: Match.stringLikeRegexp('^EntryFunctionCurrentVersion') } }],
          CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
          OriginRequestPolicyId: '216adef6-5c7f-47e4-b989-5492eafa07d3', // Managed-AllViewer
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
          ViewerProtocolPolicy: 'redirect-to-https',
        }),
        Origins: [Match.objectLike({
          DomainName: 'route-tables-test.s3.us-east-1.amazonaws.com',
          CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only' }),
          OriginAccessControlId: Match.absent(),
        })],
      },
    })
    template.resourceCountIs('AWS::CloudFront::MonitoringSubscription', 1)
  })

  it('runs on x86_64 without environment variables, as Lambda@Edge requires', () => {
    const template = Template.fromStack(build('us-east-1', 'route-tables-test').stack)
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'Edge-router',
      Runtime: 'nodejs24.x',
      Architectures: ['x86_64'],
      Timeout: 5,
      Environment: Match.absent(),
    })
  })

  it('has a role that Lambda@Edge can assume, reading tables and writing its own logs in any region', () => {
    const template = Template.fromStack(build('us-east-1', 'route-tables-test').stack)
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
          Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'edgelambda.amazonaws.com' } }),
        ],
      },
    })
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.exact({
            Effect: 'Allow',
            Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:*:123456789012:log-group:/aws/lambda/us-east-1.Edge-router:*']] },
          }),
          Match.objectLike({ Action: 's3:GetObject' }),
          Match.objectLike({ Action: 's3:ListBucket', Condition: { StringLike: { 's3:prefix': ['route-tables/*'] } } }),
        ],
      },
    })
  })

  it('compiles the table location into the bundle: the handler sees it with an empty environment', async () => {
    const { app } = build('us-east-1', 'route-tables-test')
    const assembly = app.synth()
    const bundles = readdirSync(assembly.directory)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => join(assembly.directory, name, 'index.mjs'))
      .filter((file) => existsSync(file))
    expect(bundles).toHaveLength(1)
    const saved = { ...process.env }
    for (const key of Object.keys(process.env).filter((k) => k.startsWith('EDGE_ROUTE_TABLE_'))) delete process.env[key]
    try {
      const { handler } = await import(pathToFileURL(bundles[0]!).href) as { handler: () => Promise<unknown> }
      // No key and no cluster list: every cluster under the prefix, merged.
      expect(await handler()).toEqual({ bucket: 'route-tables-test', prefix: 'route-tables/', key: undefined, clusters: undefined, region: 'us-east-1' })
    } finally {
      process.env = saved
    }
  })

  it('compiles the cluster list in when it is given one', async () => {
    const { app } = build('us-east-1', 'route-tables-test', ['prod-eu', 'prod-us'])
    const assembly = app.synth()
    const bundle = readdirSync(assembly.directory).map((name) => join(assembly.directory, name, 'index.mjs')).find((file) => existsSync(file))!
    // A fresh module instance per bundle path: the asset hash differs with the define.
    const { handler } = await import(pathToFileURL(bundle).href) as { handler: () => Promise<{ clusters?: string }> }
    expect((await handler()).clusters).toBe('prod-eu,prod-us')
  })

  it('refuses a stack outside us-east-1', () => {
    expect(() => build('eu-west-1', 'route-tables-test')).toThrow(/Lambda@Edge functions must be created in us-east-1; this stack is in eu-west-1/)
  })

  it('refuses a bucket whose name is only known at deploy time', () => {
    expect(() => build('us-east-1')).toThrow(/give the route-table bucket a fixed name/)
  })
})
