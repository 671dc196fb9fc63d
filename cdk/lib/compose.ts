// Config -> stacks. Kept apart from bin/ so tests build the same app the CLI builds.
import type { App } from 'aws-cdk-lib'
import type { EdgeIngressConfig } from './config'
import { ControllerAccessStack } from './controller-access-stack'
import { EdgeStack } from './edge-stack'

export interface EdgeIngressStacks {
  readonly edge: EdgeStack
  readonly controllerAccess: ControllerAccessStack
}

/** Stack names: one edge for the fleet, one controller-access stack per cluster. */
export const EDGE_STACK_NAME = 'EdgeIngressEdge'
export const controllerStackName = (clusterName: string) => `EdgeIngressController-${clusterName}`

export function composeApp(app: App, config: EdgeIngressConfig, overrides: { routerEntry?: string } = {}): EdgeIngressStacks {
  const edge = new EdgeStack(app, EDGE_STACK_NAME, {
    env: { account: config.account, region: config.edgeRegion },
    description: 'edge-ingress: route-table bucket, edge router and its CloudFront entry',
    edgeMode: config.edgeMode,
    // The edge serves every cluster (or edgeClusters), so deploying for another cluster leaves it as it is.
    edgeClusters: config.edgeClusters,
    routerEntry: overrides.routerEntry,
    routeTableBucketName: config.routeTableBucketName,
    vpcId: config.vpc?.vpcId,
    vpcSubnetIds: config.vpc?.subnetIds,
    domainNames: config.domain?.names,
    certificateArn: config.domain?.certificateArn,
    logRetentionDays: config.logRetentionDays,
    alarmTopicArn: config.alarmTopicArn,
  })
  const controllerAccess = new ControllerAccessStack(app, controllerStackName(config.clusterName), {
    env: { account: config.account, region: config.region },
    description: `edge-ingress: IAM role of the controller in cluster ${config.clusterName}`,
    clusterName: config.clusterName,
    routeTableBucketName: config.routeTableBucketName,
    namespace: config.controller.namespace,
    serviceAccount: config.controller.serviceAccount,
    oidcProviderArn: config.controller.oidcProviderArn,
  })
  controllerAccess.addStackDependency(edge, 'the controller writes to the route-table bucket')
  return { edge, controllerAccess }
}
