import { App } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import { describe, expect, it } from 'vitest'
import { TEST_HANDLER } from '../test-support/synth'
import { composeApp, controllerStackName, EDGE_STACK_NAME } from './compose'
import { parseConfig, type RawContext } from './config'

const base: RawContext = { account: '123456789012', region: 'eu-west-1', clusterName: 'prod-eu' }
const compose = (context: RawContext) => composeApp(new App(), parseConfig(context), { routerEntry: TEST_HANDLER })

describe('composeApp', { timeout: 120_000 }, () => {
  it('puts the function-url edge and the controller role in the cluster region, the role after the bucket', () => {
    const { edge, controllerAccess } = compose(base)
    expect([edge.stackName, edge.region, edge.account]).toEqual([EDGE_STACK_NAME, 'eu-west-1', '123456789012'])
    expect([controllerAccess.stackName, controllerAccess.region]).toEqual([controllerStackName('prod-eu'), 'eu-west-1'])
    expect(controllerAccess.dependencies).toEqual([edge])
  })

  it('puts the lambda-edge edge in us-east-1 and alarms on CloudFront metrics there, the role staying in the cluster region', () => {
    const { edge, controllerAccess } = compose({ ...base, edgeMode: 'lambda-edge' })
    expect([edge.region, controllerAccess.region]).toEqual(['us-east-1', 'eu-west-1'])
    const template = Template.fromStack(edge)
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CloudFront', MetricName: '5xxErrorRate', Statistic: 'Average', Threshold: 5,
      Dimensions: [{ Name: 'DistributionId', Value: { Ref: Match.stringLikeRegexp('^PublicEntryDistribution') } }, { Name: 'Region', Value: 'Global' }],
    })
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CloudFront', MetricName: 'OriginLatency', ExtendedStatistic: 'p99', Threshold: 3000,
      Dimensions: [{ Name: 'DistributionId', Value: { Ref: Match.stringLikeRegexp('^PublicEntryDistribution') } }, { Name: 'Region', Value: 'Global' }],
    })
    template.resourceCountIs('AWS::Lambda::Url', 0)
  })

  it('gives every cluster the same edge: it merges all their tables, so deploying for another cluster does not re-point it', () => {
    const edgeOf = (clusterName: string) => Template.fromStack(compose({ ...base, clusterName }).edge).toJSON()
    const euEdge = edgeOf('prod-eu')
    expect(JSON.stringify(euEdge)).not.toContain('EDGE_ROUTE_TABLE_CLUSTERS')
    expect(edgeOf('prod-us')).toEqual(euEdge)
  })

  it('behind CloudFront (function-url mode) takes the client address from CloudFront-Viewer-Address, which the origin request policy forwards', () => {
    const template = Template.fromStack(compose(base).edge)
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ EDGE_CLIENT_ADDRESS_HEADER: 'cloudfront-viewer-address' }) } })
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      // Managed-AllViewerExceptHostHeader: every viewer header but Host, plus the viewer location headers (CloudFront-Viewer-Address).
      DistributionConfig: { DefaultCacheBehavior: Match.objectLike({ OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac' }) },
    })
    // Only the distribution may invoke the function URL: the header cannot be forged around it.
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' })
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunctionUrl', Principal: 'cloudfront.amazonaws.com' })
  })

  it('pins the merged clusters with edgeClusters', () => {
    Template.fromStack(compose({ ...base, edgeClusters: 'prod-eu,prod-us' }).edge).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ EDGE_ROUTE_TABLE_CLUSTERS: 'prod-eu,prod-us' }) },
    })
  })

  it('names the bucket once and uses that name on both sides', () => {
    const { edge, controllerAccess } = compose(base)
    Template.fromStack(edge).hasResourceProperties('AWS::S3::Bucket', { BucketName: 'edge-ingress-routes-123456789012-eu-west-1' })
    expect(JSON.stringify(Template.fromStack(controllerAccess).toJSON())).toContain(':s3:::edge-ingress-routes-123456789012-eu-west-1/route-tables/prod-eu/*')
  })

  it('outputs what the operator needs next: the DNS target, the bucket, the role', () => {
    const { edge, controllerAccess } = compose(base)
    expect(Object.keys(Template.fromStack(edge).findOutputs('*')).sort()).toEqual(['DistributionDomainName', 'RouteTableBucketName'])
    expect(Object.keys(Template.fromStack(controllerAccess).findOutputs('*')).sort()).toEqual(['ControllerRoleArn', 'ServiceAccountAnnotation'])
  })

  it('gives the IRSA annotation as output when the role trusts an OIDC provider', () => {
    const { controllerAccess } = compose({ ...base, controllerIdentity: 'irsa', oidcProviderArn: 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF' })
    const output = Template.fromStack(controllerAccess).findOutputs('ServiceAccountAnnotation').ServiceAccountAnnotation
    expect(JSON.stringify(output?.Value)).toContain('eks.amazonaws.com/role-arn: ')
  })

  it('uses the VPC subnets it is given, without a lookup', () => {
    const { edge } = compose({ ...base, vpcId: 'vpc-0123456789abcdef0', vpcSubnetIds: 'subnet-0aaaaaaaaaaaaaaaa,subnet-0bbbbbbbbbbbbbbbb' })
    Template.fromStack(edge).hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'] },
    })
  })
})
