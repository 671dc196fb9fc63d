// Every annotation the controller reads, in one table: the setting it fills, the keys
// that set it (ours first, then the in-tree / AWS Load Balancer Controller spelling),
// how each value is parsed, and the line docs/annotations.md shows for it.
import type { LoadBalancerSettings } from './settings'
import { validateTargetGroupAttributes } from './target-group-attributes'
import { boolean, integerIn, InvalidValue, keyValues, list, matching, oneOf, type Parser } from './values'

export const OUR_PREFIX = 'edge-ingress.io/'
export const AWS_PREFIX = 'service.beta.kubernetes.io/aws-load-balancer-'

export interface AnnotationSource<T> {
  key: string
  parse: Parser<T>
}

export interface AnnotationRow<K extends keyof LoadBalancerSettings = keyof LoadBalancerSettings> {
  setting: K
  /** In precedence order; when several are set they must agree. */
  sources: AnnotationSource<LoadBalancerSettings[K]>[]
  accepts: string
  defaultText: string
  description: string
  /** Cannot change once the balancer exists: a change is refused with an Event. */
  immutable?: boolean
}

const row = <K extends keyof LoadBalancerSettings>(r: AnnotationRow<K>) => r as unknown as AnnotationRow
const both = <T>(suffix: string, parse: Parser<T>): AnnotationSource<T>[] => [
  { key: OUR_PREFIX + suffix, parse },
  { key: AWS_PREFIX + suffix, parse },
]

const subnet = matching(/^(subnet-[0-9a-f]{8,17}|[A-Za-z0-9][A-Za-z0-9 ._:/=+@-]{0,254})$/, 'a subnet id or Name tag')
const eipAllocation = matching(/^eipalloc-[0-9a-f]{8,17}$/, 'an Elastic IP allocation id (eipalloc-...)')
const certificateArn = matching(/^arn:aws[a-z-]*:(acm|iam):[a-z0-9-]*:\d{12}:(certificate|server-certificate)\/\S+$/, 'an ACM or IAM certificate ARN')
const sslPort = matching(/^(\*|\d{1,5}|[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?)$/, 'a port number, port name or *')
const healthCheckPort: Parser<string> = (raw) => {
  const v = raw.trim()
  if (v === 'traffic-port') return v
  return String(integerIn(1, 65535)(v))
}
const healthCheckPath = matching(/^\/[\x21-\x7e]{0,1023}$/, 'an absolute path (starting with /, at most 1024 printable characters)')
const upper = <T extends string>(parse: Parser<T>): Parser<Uppercase<T>> => (raw) => parse(raw).toUpperCase() as Uppercase<T>

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u
const resourceTags: Parser<Record<string, string>> = (raw) => {
  const tags = keyValues({ allowBareKeys: true })(raw)
  const keys = Object.keys(tags)
  if (keys.length > 40) throw new InvalidValue('at most 40 tags')
  for (const [k, v] of Object.entries(tags)) {
    if (k.length > 128 || !TAG_TEXT.test(k)) throw new InvalidValue(`tag key "${k}" is not a valid AWS tag key`)
    if (v.length > 256 || !TAG_TEXT.test(v)) throw new InvalidValue(`tag value for "${k}" is not a valid AWS tag value`)
    if (k.toLowerCase().startsWith('aws:') || k.startsWith(OUR_PREFIX)) throw new InvalidValue(`tag key "${k}" is reserved`)
  }
  return tags
}
const nodeLabels: Parser<Record<string, string>> = (raw) => {
  const labels = keyValues({ allowBareKeys: false })(raw)
  for (const k of Object.keys(labels)) {
    if (!/^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/.test(k)) throw new InvalidValue(`"${k}" is not a label key`)
  }
  return labels
}

export const annotationTable: AnnotationRow[] = [
  row({
    setting: 'scheme',
    sources: [
      ...both('scheme', oneOf('internet-facing', 'internal')),
      { key: AWS_PREFIX + 'internal', parse: (raw) => (raw.trim() === '0.0.0.0/0' || boolean(raw) ? 'internal' : 'internet-facing') },
    ],
    accepts: '`internet-facing`, `internal`; `aws-load-balancer-internal`: `true`/`false`',
    defaultText: '`internet-facing` (as the in-tree provider)',
    description: 'Whether the NLB gets public addresses.',
    immutable: true,
  }),
  row({
    setting: 'subnets',
    sources: both('subnets', list(subnet)),
    accepts: 'comma-separated subnet ids or Name tags, one per zone',
    defaultText: 'subnets tagged `kubernetes.io/role/elb` (internal: `kubernetes.io/role/internal-elb`) and `kubernetes.io/cluster/<cluster>`',
    description: 'Subnets the NLB is placed in.',
    immutable: true,
  }),
  row({
    setting: 'eipAllocations',
    sources: both('eip-allocations', list(eipAllocation)),
    accepts: 'comma-separated `eipalloc-...`, one per subnet (annotated or discovered: one per zone)',
    defaultText: 'none (AWS assigns addresses)',
    description: 'Static Elastic IPs for an internet-facing NLB.',
    immutable: true,
  }),
  row({
    setting: 'sslCertificates',
    sources: both('ssl-cert', list(certificateArn)),
    accepts: 'comma-separated ACM or IAM certificate ARNs; the first is the default certificate',
    defaultText: 'none (no TLS listeners)',
    description: 'Makes the ports in `ssl-ports` TLS listeners.',
  }),
  row({
    setting: 'sslPorts',
    sources: both('ssl-ports', (raw) => {
      const ports = list(sslPort)(raw)
      return ports.includes('*') ? null : ports
    }),
    accepts: 'comma-separated port numbers or names, or `*`',
    defaultText: '`*`: every TCP port',
    description: 'Which ports get TLS listeners when a certificate is set.',
  }),
  row({
    setting: 'sslPolicy',
    sources: both('ssl-negotiation-policy', matching(/^ELBSecurityPolicy-[A-Za-z0-9-]{1,100}$/, 'an ELB security policy name')),
    accepts: 'an `ELBSecurityPolicy-...` name',
    defaultText: '`ELBSecurityPolicy-2016-08`',
    description: 'TLS negotiation policy of TLS listeners.',
  }),
  row({
    setting: 'backendProtocol',
    sources: both('backend-protocol', oneOf('tcp', 'ssl')),
    accepts: '`tcp`, `ssl`',
    defaultText: '`tcp`',
    description: '`ssl`: TLS listeners talk TLS to the nodes (TLS target groups).',
  }),
  row({
    setting: 'healthCheckProtocol',
    sources: both('healthcheck-protocol', upper(oneOf('tcp', 'http', 'https'))),
    accepts: '`tcp`, `http`, `https`',
    defaultText: '`tcp`; `http` with `externalTrafficPolicy: Local`',
    description: 'Health check protocol of every target group.',
  }),
  row({
    setting: 'healthCheckPort',
    sources: both('healthcheck-port', healthCheckPort),
    accepts: '`traffic-port` or a port number',
    defaultText: '`traffic-port`; `healthCheckNodePort` with `externalTrafficPolicy: Local`',
    description: 'Port the health check probes on each node.',
  }),
  row({
    setting: 'healthCheckPath',
    sources: both('healthcheck-path', healthCheckPath),
    accepts: 'an absolute path',
    defaultText: '`/` for http(s); `/healthz` with `externalTrafficPolicy: Local`',
    description: 'HTTP(S) health check path; ignored for `tcp` checks.',
  }),
  row({
    setting: 'healthCheckInterval',
    sources: both('healthcheck-interval', integerIn(5, 300)),
    accepts: '5-300 (seconds)',
    defaultText: '10',
    description: 'Seconds between health checks.',
  }),
  row({
    setting: 'healthCheckTimeout',
    sources: both('healthcheck-timeout', integerIn(2, 120)),
    accepts: '2-120 (seconds), at most the interval',
    defaultText: '10 for tcp, 6 for http(s)',
    description: 'Seconds a health check may take.',
  }),
  row({
    setting: 'healthyThreshold',
    sources: both('healthcheck-healthy-threshold', integerIn(2, 10)),
    accepts: '2-10',
    defaultText: '3; 2 with `externalTrafficPolicy: Local`',
    description: 'Consecutive successes before a node is healthy.',
  }),
  row({
    setting: 'unhealthyThreshold',
    sources: both('healthcheck-unhealthy-threshold', integerIn(2, 10)),
    accepts: '2-10',
    defaultText: '3; 2 with `externalTrafficPolicy: Local`',
    description: 'Consecutive failures before a node is unhealthy.',
  }),
  row({
    setting: 'targetGroupAttributes',
    sources: both('target-group-attributes', (raw) => validateTargetGroupAttributes(keyValues({ allowBareKeys: false })(raw))),
    accepts:
      '`key=value,...` with keys `deregistration_delay.timeout_seconds` (0-3600), `proxy_protocol_v2.enabled`, `preserve_client_ip.enabled`, `stickiness.enabled`, `stickiness.type` (`source_ip`), `deregistration_delay.connection_termination.enabled`, `target_health_state.unhealthy.connection_termination.enabled`, `load_balancing.cross_zone.enabled`',
    defaultText: 'AWS defaults; `deregistration_delay.timeout_seconds` and `proxy_protocol_v2.enabled` are reverted to 300 / false when removed',
    description: 'Target group attributes of every port.',
  }),
  row({
    setting: 'proxyProtocol',
    sources: both('proxy-protocol', (raw) => {
      if (raw.trim() !== '*') throw new InvalidValue('must be "*" (every port)')
      return true
    }),
    accepts: '`*`',
    defaultText: 'off',
    description: 'Proxy protocol v2 on every target group; wins over `target-group-attributes`.',
  }),
  row({
    setting: 'crossZone',
    sources: both('cross-zone-load-balancing-enabled', boolean),
    accepts: '`true`, `false`',
    defaultText: '`false`',
    description: 'Cross-zone load balancing of the NLB.',
  }),
  row({
    setting: 'additionalTags',
    sources: both('additional-resource-tags', resourceTags),
    accepts: '`key=value,...` (a bare `key` means an empty value); at most 40; not `aws:*` or `edge-ingress.io/*`',
    defaultText: 'none',
    description: 'Extra tags on the NLB and its target groups.',
  }),
  row({
    setting: 'targetNodeLabels',
    sources: both('target-node-labels', nodeLabels),
    accepts: '`label=value,...`',
    defaultText: 'every node',
    description: 'Only nodes with all these labels become targets.',
  }),
]
