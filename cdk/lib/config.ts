// The CDK app's configuration: every context key, its meaning and default, and one
// validation pass that names the offending key. Pure: no constructs, no AWS calls, so
// a wrong value fails before anything is synthesized.
import { z } from 'zod'

export const EDGE_MODES = ['function-url', 'lambda-edge'] as const
export type EdgeMode = (typeof EDGE_MODES)[number]
export const CONTROLLER_IDENTITIES = ['pod-identity', 'irsa'] as const
export type ControllerIdentity = (typeof CONTROLLER_IDENTITIES)[number]

/** CloudFront only takes certificates and Lambda@Edge functions from this region. */
export const CLOUDFRONT_REGION = 'us-east-1'

/** Retention values CloudWatch Logs accepts (PutRetentionPolicy). */
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

/** Every context key the app reads, with the sentence docs/install-aws.md repeats. */
export const CONTEXT_KEYS = {
  account: 'AWS account id (12 digits). Default: $CDK_DEFAULT_ACCOUNT.',
  region: "The cluster's region: the controller stack, and the edge stack in function-url mode. Default: $CDK_DEFAULT_REGION.",
  clusterName: 'Name of the cluster (as the controller\'s --cluster-name): ownership tag value and route-table key. Required.',
  edgeClusters: 'Comma-separated cluster names whose route tables the edge merges. Default: every cluster that publishes to the bucket (route-tables/<cluster>/).',
  edgeMode: "'function-url' (Lambda behind CloudFront, forwards the bytes) or 'lambda-edge' (origin-request function, CloudFront carries the bytes). Default: function-url.",
  edgeRegion: `Region of the edge stack and the route-table bucket. Default: region in function-url mode, ${CLOUDFRONT_REGION} in lambda-edge mode (which requires it).`,
  vpcId: 'VPC of the cluster; with vpcSubnetIds the edge Lambda runs inside it and reaches internal balancers privately (function-url mode only).',
  vpcSubnetIds: 'Comma-separated private subnet ids of that VPC for the edge Lambda. Required with vpcId.',
  domainNames: 'Comma-separated public host names served by the distribution (alternate domain names). Optional.',
  certificateArn: `ACM certificate (in ${CLOUDFRONT_REGION}) covering domainNames. Required with domainNames.`,
  routeTableBucketName: 'Name of the route-table bucket. Default: edge-ingress-routes-<account>-<edgeRegion>.',
  controllerIdentity: "How the controller pod gets its role: 'pod-identity' (EKS Pod Identity association) or 'irsa'. Default: pod-identity.",
  oidcProviderArn: "IAM OIDC provider of the cluster. Required with controllerIdentity 'irsa'.",
  controllerNamespace: 'Namespace of the controller ServiceAccount. Default: edge-ingress.',
  controllerServiceAccount: 'Name of the controller ServiceAccount. Default: edge-ingress-controller.',
  logRetentionDays: 'Retention of the edge function logs, in days (a CloudWatch Logs value). Default: 30.',
  alarmTopicArn: 'SNS topic notified when an alarm fires or recovers. Optional.',
} as const
export type ContextKey = keyof typeof CONTEXT_KEYS

export interface EdgeIngressConfig {
  readonly account: string
  readonly region: string
  readonly clusterName: string
  /** Unset: the edge merges every cluster under the route-table prefix. */
  readonly edgeClusters?: readonly string[]
  readonly edgeMode: EdgeMode
  readonly edgeRegion: string
  readonly vpc?: { readonly vpcId: string; readonly subnetIds: readonly string[] }
  readonly domain?: { readonly names: readonly string[]; readonly certificateArn: string }
  readonly routeTableBucketName: string
  readonly controller: {
    readonly identity: ControllerIdentity
    readonly oidcProviderArn?: string
    readonly namespace: string
    readonly serviceAccount: string
  }
  readonly logRetentionDays: number
  readonly alarmTopicArn?: string
}

const list = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : value),
  z.array(z.string()).min(1),
)
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const regionPattern = /^[a-z]{2}(-[a-z]+)+-\d$/
const clusterNamePattern = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/
const clusterNameMessage = 'must be an EKS cluster name: letters, digits, - and _, at most 100'

const schema = z.object({
  account: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  region: z.string().regex(regionPattern, 'must be an AWS region such as eu-west-1'),
  clusterName: z.string().regex(clusterNamePattern, clusterNameMessage),
  edgeClusters: list.pipe(z.array(z.string().regex(clusterNamePattern, `must list cluster names (each ${clusterNameMessage.replace('must be ', '')})`))).optional(),
  edgeMode: z.enum(EDGE_MODES).default('function-url'),
  edgeRegion: z.string().regex(regionPattern, 'must be an AWS region such as eu-west-1').optional(),
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id (vpc-...)').optional(),
  vpcSubnetIds: list.pipe(z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must list subnet ids (subnet-...)'))).optional(),
  domainNames: list.pipe(z.array(z.string().regex(/^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,}$/, 'must list lower-case DNS names'))).optional(),
  certificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, 'must be an ACM certificate ARN').optional(),
  routeTableBucketName: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid S3 bucket name').optional(),
  controllerIdentity: z.enum(CONTROLLER_IDENTITIES).default('pod-identity'),
  oidcProviderArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/.+$/, 'must be an IAM OIDC provider ARN').optional(),
  controllerNamespace: z.string().max(63).regex(dnsLabel, 'must be a Kubernetes namespace name').default('edge-ingress'),
  controllerServiceAccount: z.string().max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes object name').default('edge-ingress-controller'),
  logRetentionDays: z.coerce.number().refine((days) => RETENTION_DAYS.includes(days), `must be one of ${RETENTION_DAYS.join(', ')}`).default(30),
  alarmTopicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:.+$/, 'must be an SNS topic ARN').optional(),
})

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid edge-ingress CDK context:\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n(set keys with -c key=value or in cdk.json "context"; see docs/install-aws.md)`)
    this.name = 'ConfigError'
  }
}

/** Values read from the CDK context (strings on the command line, any JSON in cdk.json). */
export type RawContext = Partial<Record<ContextKey, unknown>>

/** Parses and cross-checks the context; throws one ConfigError listing every problem. */
export function parseConfig(raw: RawContext, env: Record<string, string | undefined> = {}): EdgeIngressConfig {
  const input = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ''))
  input.account ??= env.CDK_DEFAULT_ACCOUNT
  input.region ??= env.CDK_DEFAULT_REGION
  const parsed = schema.safeParse(input)
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '')
      const received = issue.code === 'invalid_type' && input[key] === undefined ? 'is required' : issue.message
      return `${key}: ${received}`
    }))
  }
  const c = parsed.data
  const problems = crossCheck(c)
  if (problems.length > 0) throw new ConfigError(problems)
  const edgeRegion = c.edgeRegion ?? (c.edgeMode === 'lambda-edge' ? CLOUDFRONT_REGION : c.region)
  return {
    account: c.account,
    region: c.region,
    clusterName: c.clusterName,
    ...(c.edgeClusters ? { edgeClusters: c.edgeClusters } : {}),
    edgeMode: c.edgeMode,
    edgeRegion,
    ...(c.vpcId && c.vpcSubnetIds ? { vpc: { vpcId: c.vpcId, subnetIds: c.vpcSubnetIds } } : {}),
    ...(c.domainNames && c.certificateArn ? { domain: { names: c.domainNames, certificateArn: c.certificateArn } } : {}),
    routeTableBucketName: c.routeTableBucketName ?? `edge-ingress-routes-${c.account}-${edgeRegion}`,
    controller: {
      identity: c.controllerIdentity,
      ...(c.oidcProviderArn ? { oidcProviderArn: c.oidcProviderArn } : {}),
      namespace: c.controllerNamespace,
      serviceAccount: c.controllerServiceAccount,
    },
    logRetentionDays: c.logRetentionDays,
    ...(c.alarmTopicArn ? { alarmTopicArn: c.alarmTopicArn } : {}),
  }
}

function crossCheck(c: z.infer<typeof schema>): string[] {
  const problems: string[] = []
  if (Boolean(c.vpcId) !== Boolean(c.vpcSubnetIds)) problems.push('vpcId and vpcSubnetIds: give both or neither')
  if (c.vpcId && c.edgeMode === 'lambda-edge') problems.push('vpcId: Lambda@Edge functions cannot run in a VPC; use edgeMode function-url')
  if (c.vpcId && c.edgeRegion && c.edgeRegion !== c.region) problems.push(`edgeRegion: must equal region (${c.region}) when vpcId is set, the VPC lives there`)
  if (c.edgeMode === 'lambda-edge' && c.edgeRegion && c.edgeRegion !== CLOUDFRONT_REGION) problems.push(`edgeRegion: lambda-edge mode deploys to ${CLOUDFRONT_REGION}, got ${c.edgeRegion}`)
  if (Boolean(c.domainNames) !== Boolean(c.certificateArn)) problems.push('domainNames and certificateArn: give both or neither')
  if (c.certificateArn && c.certificateArn.split(':')[3] !== CLOUDFRONT_REGION) problems.push(`certificateArn: CloudFront needs a certificate in ${CLOUDFRONT_REGION}, got one in ${c.certificateArn.split(':')[3]}`)
  if (c.controllerIdentity === 'irsa' && !c.oidcProviderArn) problems.push("oidcProviderArn: is required with controllerIdentity 'irsa'")
  if (c.controllerIdentity === 'pod-identity' && c.oidcProviderArn) problems.push("oidcProviderArn: only used with controllerIdentity 'irsa'")
  return problems
}

/** Reads every known key through a context getter (app.node.tryGetContext). */
export function readContext(get: (key: string) => unknown): RawContext {
  return Object.fromEntries((Object.keys(CONTEXT_KEYS) as ContextKey[]).map((key) => [key, get(key)]))
}
