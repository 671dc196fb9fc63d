import { describe, expect, it } from 'vitest'
import { parseAnnotations } from './parse'
import type { LoadBalancerSettings } from './settings'
import { annotationTable, AWS_PREFIX, OUR_PREFIX } from './table'

type Cases = { suffix: string; good: [string, unknown][]; bad: string[] }
const acm = 'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c'
const iam = 'arn:aws:iam::123456789012:server-certificate/site'

// Every setting with values that must parse (and to what) and values that must not.
const cases: Record<keyof LoadBalancerSettings, Cases> = {
  scheme: { suffix: 'scheme', good: [['internal', 'internal'], ['Internet-Facing', 'internet-facing']], bad: ['public', ''] },
  subnets: { suffix: 'subnets', good: [['subnet-0123456789abcdef0, private-a', ['subnet-0123456789abcdef0', 'private-a']]], bad: ['subnet-1,,subnet-2', '', '-bad'] },
  eipAllocations: { suffix: 'eip-allocations', good: [['eipalloc-0123456789abcdef0', ['eipalloc-0123456789abcdef0']]], bad: ['eip-123', 'eipalloc-xyz'] },
  sslCertificates: { suffix: 'ssl-cert', good: [[`${acm},${iam}`, [acm, iam]]], bad: ['not-an-arn', 'arn:aws:s3:::bucket'] },
  sslPorts: { suffix: 'ssl-ports', good: [['443, https', ['443', 'https']], ['*', null]], bad: ['443,,80', 'HTTPS!'] },
  sslPolicy: { suffix: 'ssl-negotiation-policy', good: [['ELBSecurityPolicy-TLS13-1-2-2021-06', 'ELBSecurityPolicy-TLS13-1-2-2021-06']], bad: ['TLS1.2', ''] },
  backendProtocol: { suffix: 'backend-protocol', good: [['ssl', 'ssl'], ['TCP', 'tcp']], bad: ['http', 'https'] },
  healthCheckProtocol: { suffix: 'healthcheck-protocol', good: [['http', 'HTTP'], ['TCP', 'TCP']], bad: ['udp', 'grpc'] },
  healthCheckPort: { suffix: 'healthcheck-port', good: [['traffic-port', 'traffic-port'], ['8080', '8080']], bad: ['0', '70000', 'http'] },
  healthCheckPath: { suffix: 'healthcheck-path', good: [['/healthz?full=1', '/healthz?full=1']], bad: ['healthz', '/with space'] },
  healthCheckInterval: { suffix: 'healthcheck-interval', good: [['30', 30], ['5', 5]], bad: ['4', '301', '10s'] },
  healthCheckTimeout: { suffix: 'healthcheck-timeout', good: [['2', 2]], bad: ['1', '121', '-3'] },
  healthyThreshold: { suffix: 'healthcheck-healthy-threshold', good: [['10', 10]], bad: ['1', '11'] },
  unhealthyThreshold: { suffix: 'healthcheck-unhealthy-threshold', good: [['2', 2]], bad: ['0', 'three'] },
  targetGroupAttributes: {
    suffix: 'target-group-attributes',
    good: [['proxy_protocol_v2.enabled=true, deregistration_delay.timeout_seconds=120', { 'proxy_protocol_v2.enabled': 'true', 'deregistration_delay.timeout_seconds': '120' }]],
    bad: ['deregistration_delay.timeout_seconds=4000', 'proxy_protocol_v2.enabled=yes', 'unknown.key=1', 'stickiness.type=lb_cookie', 'novalue'],
  },
  proxyProtocol: { suffix: 'proxy-protocol', good: [['*', true]], bad: ['true', '80'] },
  crossZone: { suffix: 'cross-zone-load-balancing-enabled', good: [['TRUE', true], ['false', false]], bad: ['yes', '1'] },
  additionalTags: {
    suffix: 'additional-resource-tags',
    good: [['Key1=Val1,Key2=Val2,KeyNoVal1=,KeyNoVal2', { Key1: 'Val1', Key2: 'Val2', KeyNoVal1: '', KeyNoVal2: '' }]],
    bad: ['aws:cloudformation=x', 'edge-ingress.io/cluster=other', 'a=1,a=2', 'bad#key=1'],
  },
  targetNodeLabels: { suffix: 'target-node-labels', good: [['pool=edge, topology.kubernetes.io/zone=a', { pool: 'edge', 'topology.kubernetes.io/zone': 'a' }]], bad: ['pool', '=x', 'bad key=1'] },
}

describe('annotation parsers', () => {
  it('has test cases for every row of the table', () => {
    expect(Object.keys(cases).sort()).toEqual(annotationTable.map((r) => r.setting).sort())
  })

  for (const [setting, c] of Object.entries(cases) as [keyof LoadBalancerSettings, Cases][]) {
    for (const prefix of [OUR_PREFIX, AWS_PREFIX]) {
      const key = prefix + c.suffix
      for (const [raw, expected] of c.good) {
        it(`${key}: ${JSON.stringify(raw)} is accepted`, () => {
          const { settings, errors } = parseAnnotations(
            // ssl-ports needs a certificate to be meaningful
            setting === 'sslPorts' ? { [key]: raw, [AWS_PREFIX + 'ssl-cert']: acm } : { [key]: raw },
          )
          expect(errors).toEqual([])
          expect(settings[setting]).toEqual(expected)
        })
      }
      for (const raw of c.bad) {
        it(`${key}: ${JSON.stringify(raw)} is refused with a message`, () => {
          const { errors } = parseAnnotations({ [key]: raw })
          expect(errors).toHaveLength(1)
          expect(errors[0]).toMatchObject({ key, value: raw })
          expect(errors[0]!.message.length).toBeGreaterThan(5)
        })
      }
    }
  }

  it('reads the in-tree aws-load-balancer-internal annotation', () => {
    expect(parseAnnotations({ [AWS_PREFIX + 'internal']: 'true' }).settings.scheme).toBe('internal')
    expect(parseAnnotations({ [AWS_PREFIX + 'internal']: '0.0.0.0/0' }).settings.scheme).toBe('internal')
    expect(parseAnnotations({ [AWS_PREFIX + 'internal']: 'false' }).settings.scheme).toBe('internet-facing')
    expect(parseAnnotations({ [AWS_PREFIX + 'internal']: 'maybe' }).errors).toHaveLength(1)
  })

  it('accepts agreeing duplicates and refuses conflicting ones', () => {
    expect(parseAnnotations({ [OUR_PREFIX + 'scheme']: 'internal', [AWS_PREFIX + 'internal']: 'true' }).errors).toEqual([])
    const { errors } = parseAnnotations({ [OUR_PREFIX + 'scheme']: 'internal', [AWS_PREFIX + 'scheme']: 'internet-facing' })
    expect(errors).toEqual([{ key: AWS_PREFIX + 'scheme', value: 'internet-facing', message: `conflicts with ${OUR_PREFIX}scheme; set only one of them` }])
  })

  it('checks settings against each other', () => {
    const messages = (a: Record<string, string>) => parseAnnotations(a).errors.map((e) => e.message)
    expect(messages({ [AWS_PREFIX + 'eip-allocations']: 'eipalloc-0123456789abcdef0', [AWS_PREFIX + 'scheme']: 'internal' })).toEqual([
      'Elastic IPs need an internet-facing load balancer',
    ])
    expect(messages({ [AWS_PREFIX + 'eip-allocations']: 'eipalloc-0123456789abcdef0', [AWS_PREFIX + 'subnets']: 'subnet-00000001,subnet-00000002' })[0]).toMatch(
      /one allocation per subnet/,
    )
    expect(messages({ [AWS_PREFIX + 'healthcheck-interval']: '10', [AWS_PREFIX + 'healthcheck-timeout']: '20' })[0]).toMatch(/must not exceed/)
    expect(messages({ [AWS_PREFIX + 'ssl-ports']: '443' })).toEqual(['needs a certificate (ssl-cert)'])
  })

  it('ignores annotations it does not know', () => {
    expect(parseAnnotations({ 'example.com/x': 'y', [AWS_PREFIX + 'type']: 'nlb' }).errors).toEqual([])
  })
})
