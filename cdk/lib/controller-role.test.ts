import { App, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { describe, expect, it } from 'vitest'
import { ELBV2_CREATE_ACTIONS, ELBV2_DESCRIBE_ACTIONS, ELBV2_OWNED_RESOURCE_ACTIONS, EC2_DESCRIBE_ACTIONS, OWNERSHIP_TAG_KEY } from './controller-permissions'
import { ControllerRole } from './controller-role'

const OIDC = 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF'

function build(options: { irsa?: boolean } = {}) {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } })
  new ControllerRole(stack, 'Controller', {
    clusterName: 'prod-eu',
    routeTableBucket: s3.Bucket.fromBucketName(stack, 'Tables', 'route-tables-test'),
    openIdConnectProvider: options.irsa ? iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Oidc', OIDC) : undefined,
  })
  return Template.fromStack(stack)
}

type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown }
function statements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement)
}
const bySid = (template: Template, sid: string) => statements(template).find((statement) => statement.Sid === sid)
const nlbResources = ['loadbalancer/net/*', 'targetgroup/*', 'listener/net/*'].map((resource) => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:elasticloadbalancing:eu-west-1:123456789012:${resource}`]],
}))
const elb = (actions: readonly string[]) => actions.map((action) => `elasticloadbalancing:${action}`)

describe('ControllerRole', { timeout: 120_000 }, () => {
  it('is assumable by EKS Pod Identity only for the controller ServiceAccount of this cluster', () => {
    const template = build()
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.exact({
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '123456789012',
              'aws:RequestTag/eks-cluster-name': 'prod-eu',
              'aws:RequestTag/kubernetes-namespace': 'edge-ingress',
              'aws:RequestTag/kubernetes-service-account': 'edge-ingress-controller',
            },
          },
        })],
      },
    })
    template.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: 'prod-eu',
      Namespace: 'edge-ingress',
      ServiceAccount: 'edge-ingress-controller',
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ControllerRole'), 'Arn'] },
    })
  })

  it('with an OIDC provider, trusts only the ServiceAccount token for STS (IRSA) and makes no association', () => {
    const template = build({ irsa: true })
    const trust = Object.values(template.findResources('AWS::IAM::Role'))[0]!.Properties.AssumeRolePolicyDocument.Statement
    expect(trust).toHaveLength(1)
    expect(trust[0].Action).toBe('sts:AssumeRoleWithWebIdentity')
    expect(trust[0].Principal).toEqual({ Federated: OIDC })
    expect(trust[0].Condition).toEqual({
      StringEquals: {
        'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:sub': 'system:serviceaccount:edge-ingress:edge-ingress-controller',
        'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF:aud': 'sts.amazonaws.com',
      },
    })
    template.resourceCountIs('AWS::EKS::PodIdentityAssociation', 0)
  })

  it('creates balancers, target groups and listeners only with the cluster ownership tag in the request', () => {
    expect(bySid(build(), 'CreateOnlyWithOwnershipTag')).toEqual({
      Sid: 'CreateOnlyWithOwnershipTag',
      Effect: 'Allow',
      Action: elb(ELBV2_CREATE_ACTIONS),
      Resource: nlbResources,
      Condition: { StringEquals: { [`aws:RequestTag/${OWNERSHIP_TAG_KEY}`]: 'prod-eu' } },
    })
  })

  it('tags on create only for its own create calls', () => {
    expect(bySid(build(), 'TagOnCreate')).toEqual({
      Sid: 'TagOnCreate',
      Effect: 'Allow',
      Action: 'elasticloadbalancing:AddTags',
      Resource: nlbResources,
      Condition: {
        StringEquals: {
          [`aws:RequestTag/${OWNERSHIP_TAG_KEY}`]: 'prod-eu',
          'elasticloadbalancing:CreateAction': ['CreateLoadBalancer', 'CreateTargetGroup', 'CreateListener'],
        },
      },
    })
  })

  it('modifies, registers and deletes only resources that carry the ownership tag', () => {
    expect(bySid(build(), 'ChangeOnlyOwnedResources')).toEqual({
      Sid: 'ChangeOnlyOwnedResources',
      Effect: 'Allow',
      Action: elb(ELBV2_OWNED_RESOURCE_ACTIONS),
      Resource: nlbResources,
      Condition: { StringEquals: { [`aws:ResourceTag/${OWNERSHIP_TAG_KEY}`]: 'prod-eu' } },
    })
  })

  it('retags its own resources but can neither add nor remove the ownership tag there', () => {
    expect(bySid(build(), 'RetagOwnedResourcesExceptOwnership')).toEqual({
      Sid: 'RetagOwnedResourcesExceptOwnership',
      Effect: 'Allow',
      Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
      Resource: nlbResources,
      Condition: {
        StringEquals: { [`aws:ResourceTag/${OWNERSHIP_TAG_KEY}`]: 'prod-eu' },
        'ForAllValues:StringNotEquals': { 'aws:TagKeys': [OWNERSHIP_TAG_KEY] },
      },
    })
  })

  it('describes ELBv2 and EC2 without resource scope, and may create the ELB service-linked role only', () => {
    const template = build()
    expect(bySid(template, 'Describe')).toEqual({
      Sid: 'Describe',
      Effect: 'Allow',
      Action: [...elb(ELBV2_DESCRIBE_ACTIONS), ...EC2_DESCRIBE_ACTIONS.map((action) => `ec2:${action}`)],
      Resource: '*',
    })
    expect(bySid(template, 'ElbServiceLinkedRole')).toEqual({
      Sid: 'ElbServiceLinkedRole',
      Effect: 'Allow',
      Action: 'iam:CreateServiceLinkedRole',
      Resource: '*',
      Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    })
  })

  it("writes only its own cluster's route-table prefix", () => {
    const s3Statements = statements(build()).filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')))
    expect(s3Statements).toEqual([
      { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::route-tables-test/route-tables/prod-eu/*']] } },
      { Effect: 'Allow', Action: 's3:ListBucket', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::route-tables-test']] }, Condition: { StringLike: { 's3:prefix': ['route-tables/prod-eu/*'] } } },
    ])
  })

  it('has no other statement and no managed policy', () => {
    const template = build()
    expect(statements(template)).toHaveLength(8)
    expect(Object.values(template.findResources('AWS::IAM::Role'))[0]!.Properties.ManagedPolicyArns).toBeUndefined()
  })
})
