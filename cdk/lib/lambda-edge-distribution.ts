// lambda-edge mode: CloudFront runs the router as an origin-request Lambda@Edge
// function that picks the gateway (a custom origin) per request, or answers itself
// (redirect, 404), and CloudFront carries the bytes. Lambda@Edge has no environment
// variables and runs in every region, so the table location is compiled into the
// bundle (esbuild `define` of the same process.env names the regional function reads).
import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib'
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront'
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins'
import * as iam from 'aws-cdk-lib/aws-iam'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { esbuildOptions } from './bundling'
import { CLOUDFRONT_REGION } from './config'
import { ROUTE_TABLE_ENV } from './edge-router-function'
import { acknowledgeWildcardResources } from './nag-acknowledge'
import { distributionDefaults, DYNAMIC_BEHAVIOR, suppressOperatorChoices, type PublicEntryProps } from './public-entry'
import { grantReadRouteTables, ROUTE_TABLE_PREFIX } from './route-table-access'
import { repoPath } from './repo-path'

export const DEFAULT_LAMBDA_EDGE_ENTRY = repoPath('edge/src/runtime/lambda-edge.ts')

export interface LambdaEdgeDistributionProps extends PublicEntryProps {
  /** Bucket holding the route tables; its name must be known at synth time. */
  readonly routeTableBucket: s3.IBucket
  /**
   * Clusters whose published tables the edge merges.
   * @default - every cluster that publishes under route-tables/ (listed again every minute)
   */
  readonly clusters?: readonly string[]
  /**
   * TypeScript entry exporting `handler` (CloudFront origin-request event).
   * @default edge/src/runtime/lambda-edge.ts
   */
  readonly entry?: string
  /**
   * Memory of the function.
   * @default 256
   */
  readonly memorySize?: number
  /**
   * Upper bound of one origin-request invocation (Lambda@Edge allows up to 30 s).
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration
}

export class LambdaEdgeDistribution extends Construct {
  readonly function: lambda.Function
  readonly distribution: cloudfront.Distribution

  constructor(scope: Construct, id: string, props: LambdaEdgeDistributionProps) {
    super(scope, id)
    const stack = Stack.of(this)
    if (stack.region !== CLOUDFRONT_REGION) {
      throw new Error(`Lambda@Edge functions must be created in ${CLOUDFRONT_REGION}; this stack is in ${stack.region}`)
    }
    const bucketName = props.routeTableBucket.bucketName
    if (Token.isUnresolved(bucketName)) {
      throw new Error('Lambda@Edge has no environment variables: give the route-table bucket a fixed name so it can be compiled into the bundle')
    }
    const functionName = `${stack.stackName}-router`.slice(0, 64)

    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.ServicePrincipal('edgelambda.amazonaws.com')),
    })
    // Replicas log to /aws/lambda/us-east-1.<name> in whichever region served the request.
    const logGroups = stack.formatArn({ service: 'logs', region: '*', resource: 'log-group', resourceName: `/aws/lambda/${CLOUDFRONT_REGION}.${functionName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })
    role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroups] }))
    acknowledgeWildcardResources(role, [logGroups], 'Lambda@Edge replicas write to a log group of this function in every region CloudFront serves from, and to their own streams in it.')
    grantReadRouteTables(props.routeTableBucket, role)

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName,
      entry: props.entry ?? DEFAULT_LAMBDA_EDGE_ENTRY,
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.X86_64, // Lambda@Edge runs x86_64 only
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(5),
      role,
      bundling: esbuildOptions({
        sourceMap: false,
        define: {
          [`process.env.${ROUTE_TABLE_ENV.bucket}`]: JSON.stringify(bucketName),
          [`process.env.${ROUTE_TABLE_ENV.prefix}`]: JSON.stringify(ROUTE_TABLE_PREFIX),
          [`process.env.${ROUTE_TABLE_ENV.clusters}`]: props.clusters?.length ? JSON.stringify(props.clusters.join(',')) : 'undefined',
          'process.env.EDGE_ROUTE_TABLE_KEY': 'undefined', // one key would pin a single cluster
          [`process.env.${ROUTE_TABLE_ENV.region}`]: JSON.stringify(props.routeTableBucket.env.region),
        },
      }),
    })

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      ...distributionDefaults(props, 'cloudfront/'),
      comment: 'edge-ingress: the single public entry (lambda-edge mode)',
      // OriginLatency, for the latency alarm, is one of the additional metrics.
      publishAdditionalMetrics: true,
      defaultBehavior: {
        ...DYNAMIC_BEHAVIOR,
        // Reached only if the router returned the request unrouted: an unsigned request
        // to a private bucket, answered 403. It must resolve in DNS for the function to run.
        origin: new origins.HttpOrigin(props.routeTableBucket.bucketRegionalDomainName, { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }),
        // The gateways route on the client's Host, so every viewer header goes through.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER,
        edgeLambdas: [{ functionVersion: this.function.currentVersion, eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST }],
      },
    })
    suppressOperatorChoices(this.distribution, props)
  }
}
