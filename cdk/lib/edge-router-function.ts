// The regional edge router: the Hono app of edge/src/runtime/aws-lambda.ts bundled by
// the local esbuild (no Docker), optionally inside the cluster's VPC so it can reach
// internal balancers, exposed only through an IAM-authenticated function URL that
// CloudFront signs for (origin access control).
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import * as ec2 from 'aws-cdk-lib/aws-ec2'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs'
import * as logs from 'aws-cdk-lib/aws-logs'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { esbuildOptions } from './bundling'
import { repoPath } from './repo-path'
import { grantReadRouteTables, ROUTE_TABLE_PREFIX } from './route-table-access'

/**
 * Environment the Lambda runtime reads its table location from (edge/src/adapters/lambda-sources.ts).
 * Without `clusters` it merges every cluster under the prefix.
 */
export const ROUTE_TABLE_ENV = { bucket: 'EDGE_ROUTE_TABLE_BUCKET', prefix: 'EDGE_ROUTE_TABLE_PREFIX', clusters: 'EDGE_ROUTE_TABLE_CLUSTERS', region: 'EDGE_ROUTE_TABLE_REGION' } as const

export const DEFAULT_LAMBDA_ENTRY = repoPath('edge/src/runtime/aws-lambda.ts')

/** Environment naming the request header the runtime takes the client address from (edge/src/runtime/aws-lambda.ts). */
export const CLIENT_ADDRESS_ENV = 'EDGE_CLIENT_ADDRESS_HEADER'

export interface EdgeRouterFunctionProps {
  /** Bucket holding the route tables (read access to the table prefix only). */
  readonly routeTableBucket: s3.IBucket
  /**
   * Clusters whose published tables the edge merges.
   * @default - every cluster that publishes under route-tables/ (listed again every minute)
   */
  readonly clusters?: readonly string[]
  /**
   * Request header holding the client's address, e.g. `cloudfront-viewer-address` behind
   * CloudFront. Trusted as given: set it only when that proxy is the only way to the function
   * (its URL is IAM-authenticated and only the distribution may invoke it).
   * @default - none: the event's source IP (CloudFront's own, behind CloudFront)
   */
  readonly clientAddressHeader?: string
  /**
   * TypeScript entry exporting `handler`.
   * @default edge/src/runtime/aws-lambda.ts
   */
  readonly entry?: string
  /**
   * VPC to run in, so internal (scheme=internal) cluster balancers are reachable.
   * Needs a route to S3 (gateway endpoint or NAT) for the route table.
   * @default - not in a VPC: only internet-facing balancers are reachable
   */
  readonly vpc?: ec2.IVpc
  /**
   * Subnets of `vpc` for the function's network interfaces.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays
  /**
   * Memory of the function; CPU grows with it.
   * @default 1024
   */
  readonly memorySize?: number
  /**
   * Upper bound of one invocation; per-route timeouts answer 504 well before it.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration
}

export class EdgeRouterFunction extends Construct {
  readonly function: lambda.IFunction
  readonly functionUrl: lambda.IFunctionUrl
  readonly logGroup: logs.ILogGroup

  constructor(scope: Construct, id: string, props: EdgeRouterFunctionProps) {
    super(scope, id)
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    })
    // An explicit role: logs go to this log group only, instead of the managed
    // AWSLambdaBasicExecutionRole's logs:* on every group.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })
    logGroup.grantWrite(role)
    if (props.vpc) {
      role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaVPCAccessExecutionRole'))
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]',
        reason: 'AWSLambdaVPCAccessExecutionRole is the AWS-maintained set of ENI permissions Lambda needs to attach to the VPC.',
      })
    }

    const fn = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry ?? DEFAULT_LAMBDA_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(30),
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        [ROUTE_TABLE_ENV.bucket]: props.routeTableBucket.bucketName,
        [ROUTE_TABLE_ENV.prefix]: ROUTE_TABLE_PREFIX,
        ...(props.clusters?.length ? { [ROUTE_TABLE_ENV.clusters]: props.clusters.join(',') } : {}),
        [ROUTE_TABLE_ENV.region]: props.routeTableBucket.env.region,
        ...(props.clientAddressHeader ? { [CLIENT_ADDRESS_ENV]: props.clientAddressHeader } : {}),
        NODE_OPTIONS: '--enable-source-maps', // stack traces in the logs point into the sources
      },
      bundling: esbuildOptions(),
      ...(props.vpc
        ? {
            vpc: props.vpc,
            vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
            allowAllOutbound: true, // balancer ports are whatever the Services declare
          }
        : {}),
    })
    grantReadRouteTables(props.routeTableBucket, role)

    this.function = fn
    this.logGroup = logGroup
    this.functionUrl = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM })
  }
}
