// One stack per cluster, in the cluster's region: the controller's role and its
// binding to the ServiceAccount. The route-table bucket is known by name, so this
// stack has no cross-region reference to the edge stack.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as s3 from 'aws-cdk-lib/aws-s3'
import type { Construct } from 'constructs'
import { ControllerRole } from './controller-role'

export interface ControllerAccessStackProps extends StackProps {
  /** EKS cluster name (the controller's --cluster-name). */
  readonly clusterName: string
  /** Name of the route-table bucket made by the edge stack. */
  readonly routeTableBucketName: string
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
   * ARN of the cluster's IAM OIDC provider, to use IRSA instead of EKS Pod Identity.
   * @default - EKS Pod Identity
   */
  readonly oidcProviderArn?: string
}

export class ControllerAccessStack extends Stack {
  readonly controllerRole: ControllerRole

  constructor(scope: Construct, id: string, props: ControllerAccessStackProps) {
    super(scope, id, props)
    const provider = props.oidcProviderArn
      ? iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(this, 'ClusterOidc', props.oidcProviderArn)
      : undefined
    this.controllerRole = new ControllerRole(this, 'Controller', {
      clusterName: props.clusterName,
      routeTableBucket: s3.Bucket.fromBucketName(this, 'RouteTables', props.routeTableBucketName),
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      openIdConnectProvider: provider,
    })

    const role = this.controllerRole.role
    new CfnOutput(this, 'ControllerRoleArn', { value: role.roleArn, description: 'IAM role of the controller pod' })
    new CfnOutput(this, 'ServiceAccountAnnotation', {
      value: provider ? `eks.amazonaws.com/role-arn: ${role.roleArn}` : 'none needed: EKS Pod Identity association created',
      description: 'What the controller ServiceAccount needs (infra/base/service-account.yaml)',
    })
  }
}
