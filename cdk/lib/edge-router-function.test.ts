import { App, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { describe, expect, it } from 'vitest'
import { TEST_HANDLER } from '../test-support/synth'
import { CLIENT_ADDRESS_ENV, EdgeRouterFunction, ROUTE_TABLE_ENV } from './edge-router-function'

function build(options: { vpc?: boolean; clusters?: string[]; clientAddressHeader?: string } = {}) {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } })
  const bucket = s3.Bucket.fromBucketName(stack, 'Tables', 'route-tables-test')
  const vpc = options.vpc
    ? ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] })
    : undefined
  new EdgeRouterFunction(stack, 'Router', { routeTableBucket: bucket, clusters: options.clusters, entry: TEST_HANDLER, vpc, clientAddressHeader: options.clientAddressHeader })
  return Template.fromStack(stack)
}

describe('EdgeRouterFunction', { timeout: 120_000 }, () => {
  it('runs the bundled handler on a current Node runtime with the table location in its environment: every cluster under the prefix', () => {
    build().hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      // No key and no cluster list: the edge lists route-tables/ and merges every cluster's table.
      Environment: { Variables: Match.exact({ [ROUTE_TABLE_ENV.bucket]: 'route-tables-test', [ROUTE_TABLE_ENV.prefix]: 'route-tables/', [ROUTE_TABLE_ENV.region]: 'eu-west-1', NODE_OPTIONS: '--enable-source-maps' }) },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: Match.stringLikeRegexp('^RouterLogs') } },
    })
  })

  it('names the clusters to merge when it is given them', () => {
    build({ clusters: ['prod-eu', 'prod-us'] }).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ROUTE_TABLE_ENV.clusters]: 'prod-eu,prod-us' }) },
    })
  })

  it('takes the client address from the header it is told to trust, and from none unless told', () => {
    build({ clientAddressHeader: 'cloudfront-viewer-address' }).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [CLIENT_ADDRESS_ENV]: 'cloudfront-viewer-address' }) },
    })
    expect(JSON.stringify(build().toJSON())).not.toContain(CLIENT_ADDRESS_ENV)
  })

  it('is reachable only through an IAM-authenticated function URL', () => {
    const template = build()
    template.resourceCountIs('AWS::Lambda::Url', 1)
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' })
    template.resourceCountIs('AWS::Lambda::Permission', 0)
  })

  it('keeps its logs for a month by default', () => {
    build().hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 })
  })

  it('may read route tables and write its own log group, nothing else', () => {
    const template = build()
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.exact({ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RouterLogs'), 'Arn'] } }),
          Match.exact({ Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::route-tables-test/route-tables/*']] } }),
          Match.exact({ Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::route-tables-test']] }, Condition: { StringLike: { 's3:prefix': ['route-tables/*'] } } }),
        ],
      },
    })
    const roles = template.findResources('AWS::IAM::Role')
    expect(Object.values(roles).map((role) => role.Properties.ManagedPolicyArns)).toEqual([undefined])
  })

  it('runs in the given VPC with its own security group when one is given', () => {
    const template = build({ vpc: true })
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa'], SecurityGroupIds: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('SecurityGroup'), 'GroupId'] }] },
    })
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      VpcId: 'vpc-0123456789abcdef0',
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
    })
    template.resourceCountIs('AWS::EC2::SecurityGroupIngress', 0)
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole']] }],
    })
  })

  it('is not in a VPC unless one is given', () => {
    build().hasResourceProperties('AWS::Lambda::Function', { VpcConfig: Match.absent() })
  })
})
