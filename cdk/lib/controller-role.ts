// The controller pod's IAM role: assumable only by the controller's ServiceAccount of
// one cluster (EKS Pod Identity by default, IRSA with an OIDC provider), with the
// least-privilege ELBv2/EC2 statements and write access to its own route-table prefix.
import { Stack } from 'aws-cdk-lib'
import * as eks from 'aws-cdk-lib/aws-eks'
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { controllerStatements, networkLoadBalancingArns } from './controller-permissions'
import { acknowledgeWildcardResources } from './nag-acknowledge'
import { grantWriteClusterRouteTables } from './route-table-access'

export interface ControllerRoleProps {
  /** EKS cluster name: the ownership tag value and the route-table prefix. */
  readonly clusterName: string
  /** Bucket the controller publishes route tables to. */
  readonly routeTableBucket: s3.IBucket
  /**
   * Namespace of the controller's ServiceAccount.
   * @default 'edge-ingress'
   */
  readonly namespace?: string
  /**
   * Name of the controller's ServiceAccount.
   * @default 'edge-ingress-controller'
   */
  readonly serviceAccount?: string
  /**
   * The cluster's IAM OIDC provider: when given, the role trusts it (IRSA) instead of
   * EKS Pod Identity, and no Pod Identity association is created.
   * @default - EKS Pod Identity
   */
  readonly openIdConnectProvider?: iam.IOpenIdConnectProvider
}

export class ControllerRole extends Construct {
  readonly role: iam.Role
  /** The association binding the role to the ServiceAccount (Pod Identity only). */
  readonly podIdentityAssociation?: eks.CfnPodIdentityAssociation

  constructor(scope: Construct, id: string, props: ControllerRoleProps) {
    super(scope, id)
    const namespace = props.namespace ?? 'edge-ingress'
    const serviceAccount = props.serviceAccount ?? 'edge-ingress-controller'
    const stack = Stack.of(this)

    this.role = new iam.Role(this, 'Role', {
      description: `edge-ingress controller of cluster ${props.clusterName} (${namespace}/${serviceAccount})`,
      assumedBy: props.openIdConnectProvider
        ? new iam.OpenIdConnectPrincipal(props.openIdConnectProvider).withConditions({
            StringEquals: {
              [`${props.openIdConnectProvider.openIdConnectProviderIssuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
              [`${props.openIdConnectProvider.openIdConnectProviderIssuer}:aud`]: 'sts.amazonaws.com',
            },
          })
        : new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com').withConditions({
            StringEquals: {
              'aws:SourceAccount': stack.account,
              'aws:RequestTag/eks-cluster-name': props.clusterName,
              'aws:RequestTag/kubernetes-namespace': namespace,
              'aws:RequestTag/kubernetes-service-account': serviceAccount,
            },
          })),
    })
    for (const statement of controllerStatements(stack, props.clusterName)) this.role.addToPolicy(statement)
    grantWriteClusterRouteTables(props.routeTableBucket, this.role, props.clusterName)

    acknowledgeWildcardResources(this.role, networkLoadBalancingArns(stack),
      'Balancer, target group and listener names are generated per Service; every statement on them is conditioned on the cluster ownership tag.')
    acknowledgeWildcardResources(this.role, ['*'],
      'Describe* calls and iam:CreateServiceLinkedRole support no resource-level permissions; the latter is conditioned to the ELB service.')

    if (!props.openIdConnectProvider) {
      this.podIdentityAssociation = new eks.CfnPodIdentityAssociation(this, 'PodIdentity', {
        clusterName: props.clusterName,
        namespace,
        serviceAccount,
        roleArn: this.role.roleArn,
      })
    }
  }
}
