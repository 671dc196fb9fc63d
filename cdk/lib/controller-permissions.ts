// What the controller may do in AWS, and nothing more: create balancers only when the
// request carries this cluster's ownership tag, touch only balancers that carry it,
// read (describe) everything it needs to find them. The action lists are the calls
// the controller's AWS adapters make (a test keeps them in step).
import { Stack } from 'aws-cdk-lib'
import * as iam from 'aws-cdk-lib/aws-iam'

/** Tag the controller puts on every balancer, target group and listener it owns. */
export const OWNERSHIP_TAG_KEY = 'edge-ingress.io/cluster'

/** ELBv2 calls that create a resource; each must carry the ownership tag. */
export const ELBV2_CREATE_ACTIONS = ['CreateLoadBalancer', 'CreateTargetGroup', 'CreateListener'] as const

/** ELBv2 calls on an existing resource; allowed only on resources tagged for this cluster. */
export const ELBV2_OWNED_RESOURCE_ACTIONS = [
  'ModifyLoadBalancerAttributes',
  'ModifyTargetGroup',
  'ModifyTargetGroupAttributes',
  'ModifyListener',
  'AddListenerCertificates',
  'RemoveListenerCertificates',
  'RegisterTargets',
  'DeregisterTargets',
  'DeleteListener',
  'DeleteTargetGroup',
  'DeleteLoadBalancer',
] as const

/** ELBv2 tag calls: on owned resources, never on the ownership tag itself. */
export const ELBV2_TAG_ACTIONS = ['AddTags', 'RemoveTags'] as const

/** ELBv2 reads; Describe calls take no resource-level permissions. */
export const ELBV2_DESCRIBE_ACTIONS = [
  'DescribeLoadBalancers',
  'DescribeLoadBalancerAttributes',
  'DescribeListeners',
  'DescribeListenerCertificates',
  'DescribeTargetGroups',
  'DescribeTargetGroupAttributes',
  'DescribeTargetHealth',
  'DescribeTags',
] as const

/** EC2 reads: the subnets new balancers go into. */
export const EC2_DESCRIBE_ACTIONS = ['DescribeSubnets'] as const

const elb = (actions: readonly string[]) => actions.map((action) => `elasticloadbalancing:${action}`)

/** ARNs of the NLB resources in this account and region (names are generated). */
export function networkLoadBalancingArns(scope: Stack): string[] {
  const arn = (resource: string) => Stack.of(scope).formatArn({ service: 'elasticloadbalancing', resource, resourceName: '*' })
  return [arn('loadbalancer/net'), arn('targetgroup'), arn('listener/net')]
}

/** The ELBv2 and EC2 statements of the controller's policy for one cluster. */
export function controllerStatements(scope: Stack, clusterName: string): iam.PolicyStatement[] {
  const resources = networkLoadBalancingArns(scope)
  const requestTag = `aws:RequestTag/${OWNERSHIP_TAG_KEY}`
  const resourceTag = `aws:ResourceTag/${OWNERSHIP_TAG_KEY}`
  return [
    new iam.PolicyStatement({
      sid: 'CreateOnlyWithOwnershipTag',
      actions: elb(ELBV2_CREATE_ACTIONS),
      resources,
      conditions: { StringEquals: { [requestTag]: clusterName } },
    }),
    new iam.PolicyStatement({
      sid: 'TagOnCreate',
      actions: elb(['AddTags']),
      resources,
      conditions: {
        StringEquals: { [requestTag]: clusterName, 'elasticloadbalancing:CreateAction': [...ELBV2_CREATE_ACTIONS] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'ChangeOnlyOwnedResources',
      actions: elb(ELBV2_OWNED_RESOURCE_ACTIONS),
      resources,
      conditions: { StringEquals: { [resourceTag]: clusterName } },
    }),
    new iam.PolicyStatement({
      sid: 'RetagOwnedResourcesExceptOwnership',
      actions: elb(ELBV2_TAG_ACTIONS),
      resources,
      conditions: {
        StringEquals: { [resourceTag]: clusterName },
        'ForAllValues:StringNotEquals': { 'aws:TagKeys': [OWNERSHIP_TAG_KEY] },
      },
    }),
    new iam.PolicyStatement({
      sid: 'Describe',
      actions: [...elb(ELBV2_DESCRIBE_ACTIONS), ...EC2_DESCRIBE_ACTIONS.map((action) => `ec2:${action}`)],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      // The first balancer in an account creates ELB's service-linked role.
      sid: 'ElbServiceLinkedRole',
      actions: ['iam:CreateServiceLinkedRole'],
      resources: ['*'],
      conditions: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
    }),
  ]
}
