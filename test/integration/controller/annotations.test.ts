// Annotations through the real controller (in process, real adapters) against the real
// kube-apiserver and moto: at creation (TLS, scheme, Elastic IPs, subnets), edits in place,
// bad values and immutable changes. The fault proxy counts every AWS call.
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm'
import { AllocateAddressCommand } from '@aws-sdk/client-ec2'
import { beforeAll, describe, expect, it } from 'vitest'
import { awsClientConfig } from '../../env/clients'
import { sharedEnvironment } from '../../env/shared-environment'
import { counts, listenerOn } from './support/aws-state'
import { serviceHelpers, useLifecycleWorld, waitFor } from './support/lifecycle-world'
import { createService, hostnameOf, readyCondition, serviceEvents } from './support/services'

const env = sharedEnvironment()
const t = useLifecycleWorld(env, 'l4-annot')
const { read, stateOf, patch, mutatingCalls, reported } = serviceHelpers(t)

describe('annotations at creation', () => {
  it('a certificate makes the ssl-ports TLS listeners (certificate, policy); the other ports stay TCP', async () => {
    // moto checks that a listener's certificate exists in ACM.
    const acm = new ACMClient(awsClientConfig(env))
    const { CertificateArn: certificate } = await acm.send(new RequestCertificateCommand({ DomainName: 'secure.example.com' }))
    await createService(t.world.kube.core, t.world.namespace, 'secure', {
      ports: [
        { name: 'http', port: 80, protocol: 'TCP' },
        { name: 'https', port: 443, protocol: 'TCP' },
      ],
      annotations: {
        'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': certificate!,
        'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': 'https',
        'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      },
    })
    await reported('secure', 'True', 'Provisioned')
    const state = await stateOf('secure')
    const tls = listenerOn(state, 443)
    expect(tls.listener).toMatchObject({ Protocol: 'TLS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06', Certificates: [{ CertificateArn: certificate }] })
    expect(tls.group?.group.Protocol).toBe('TCP')
    expect(listenerOn(state, 80).listener.Protocol).toBe('TCP')
  })

  it('scheme internal places the balancer in the subnets tagged kubernetes.io/role/internal-elb', async () => {
    await createService(t.world.kube.core, t.world.namespace, 'inside', { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } })
    await reported('inside', 'True', 'Provisioned')
    expect((await stateOf('inside')).balancers[0]!.balancer.Scheme).toBe('internal')
  })

  it('eip-allocations places one Elastic IP per subnet; a count that does not match the subnets is refused before any AWS change', async () => {
    const allocations: string[] = []
    for (let i = 0; i < 3; i++) allocations.push((await t.world.aws.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!)
    await createService(t.world.kube.core, t.world.namespace, 'static-ips', { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-eip-allocations': allocations.join(',') } })
    // moto keeps the subnets but not the allocations (real ELBv2 lists them under
    // LoadBalancerAddresses): what AWS was asked for is read off the request, and the Ready
    // condition is not awaited, since later reconciles against moto see a balancer without EIPs.
    const state = await waitFor(() => stateOf('static-ips'), (s) => counts(s).listeners === 1, 'the balancer of static-ips and its listener')
    const balancer = state.balancers[0]!.balancer
    const [create] = t.proxy.calls({ action: 'CreateLoadBalancer' }).filter((c) => c.parameters.Name === balancer.LoadBalancerName)
    const mappings = [1, 2, 3].map((n) => ({ subnet: create!.parameters[`SubnetMappings.member.${n}.SubnetId`], allocation: create!.parameters[`SubnetMappings.member.${n}.AllocationId`] }))
    expect(mappings.map((m) => m.allocation)).toEqual(allocations)
    expect(mappings.map((m) => m.subnet).sort()).toEqual(t.world.network.subnets.map((s) => s.subnetId).sort())
    expect(balancer.AvailabilityZones!.map((z) => z.SubnetId).sort()).toEqual(t.world.network.subnets.map((s) => s.subnetId).sort())

    const creates = t.proxy.count({ action: 'CreateLoadBalancer' })
    await createService(t.world.kube.core, t.world.namespace, 'two-ips', { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-eip-allocations': allocations.slice(0, 2).join(',') } })
    const refused = await reported('two-ips', 'False', 'InvalidAnnotation')
    expect(readyCondition(refused)!.message).toMatch(/^service\.beta\.kubernetes\.io\/aws-load-balancer-eip-allocations: needs one allocation per subnet \(3 subnets: .*; 2 allocations\)$/)
    expect(t.proxy.count({ action: 'CreateLoadBalancer' })).toBe(creates)
    expect(counts(await stateOf('two-ips'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
  })

  it('subnets that do not exist: a Warning Event and LoadBalancerReady=False, nothing created', async () => {
    await createService(t.world.kube.core, t.world.namespace, 'nowhere', { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-subnets': 'subnet-0123456789abcdef0' } })
    const service = await reported('nowhere', 'False', 'SubnetsNotFound')
    expect(readyCondition(service)!.message).toBe('subnets not found: subnet-0123456789abcdef0')
    const events = await waitFor(() => serviceEvents(t.world.kube.events, t.world.namespace, 'nowhere'), (e) => e.some((x) => x.reason === 'SubnetsNotFound'), 'the Warning Event')
    expect(events.find((e) => e.reason === 'SubnetsNotFound')?.type).toBe('Warning')
    expect(counts(await stateOf('nowhere'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
  })
})

describe('annotations', () => {
  // One provisioned two-port Service that every test here edits in turn.
  beforeAll(async () => {
    await createService(t.world.kube.core, t.world.namespace, 'web', {
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'metrics', port: 9100, targetPort: 9100, protocol: 'TCP' },
      ],
    })
    await waitFor(() => stateOf('web'), (s) => counts(s).listeners === 2, 'the balancer of web and its listeners')
    await reported('web', 'True', 'Provisioned')
  })

  it('edits apply in place: health check interval, target group attributes, proxy protocol, cross-zone, extra tags (added and removed)', async () => {
    const before = await stateOf('web')
    await patch('web', {
      metadata: {
        annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': '30',
          'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'deregistration_delay.timeout_seconds=15',
          'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': '*',
          'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled': 'true',
          'service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags': 'team=edge,cost-centre=42',
        },
      },
    })
    const after = await waitFor(
      () => stateOf('web'),
      (s) =>
        s.balancers[0]?.attributes['load_balancing.cross_zone.enabled'] === 'true' &&
        s.balancers[0].tags.team === 'edge' &&
        s.targetGroups.every((g) => g.tags.team === 'edge' && g.group.HealthCheckIntervalSeconds === 30 && g.attributes['proxy_protocol_v2.enabled'] === 'true'),
      'every annotation applied',
    )
    expect(after.balancers[0]!.balancer.LoadBalancerArn).toBe(before.balancers[0]!.balancer.LoadBalancerArn)
    expect(after.targetGroups.map((g) => g.group.TargetGroupArn).sort()).toEqual(before.targetGroups.map((g) => g.group.TargetGroupArn).sort())
    expect(after.balancers[0]!.tags).toMatchObject({ team: 'edge', 'cost-centre': '42' })
    for (const g of after.targetGroups) {
      expect(g.group.HealthCheckIntervalSeconds).toBe(30)
      expect(g.attributes).toMatchObject({ 'deregistration_delay.timeout_seconds': '15', 'proxy_protocol_v2.enabled': 'true' })
      expect(g.tags).toMatchObject({ team: 'edge', 'cost-centre': '42' })
    }
    expect(Object.keys(mutatingCalls())).not.toEqual(expect.arrayContaining(['elbv2:CreateLoadBalancer', 'elbv2:CreateTargetGroup', 'elbv2:DeleteTargetGroup']))

    await patch('web', {
      metadata: {
        annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags': 'team=edge',
          'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol': null,
          'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': null,
        },
      },
    })
    const reverted = await waitFor(
      () => stateOf('web'),
      (s) => !('cost-centre' in s.balancers[0]!.tags) && s.targetGroups.every((g) => g.attributes['proxy_protocol_v2.enabled'] === 'false' && !('cost-centre' in g.tags)),
      'proxy protocol off and the tag gone',
    )
    expect(reverted.balancers[0]!.tags).not.toHaveProperty('cost-centre')
    for (const g of reverted.targetGroups) {
      expect(g.tags).not.toHaveProperty('cost-centre')
      expect(g.attributes['deregistration_delay.timeout_seconds']).toBe('300')
    }
  })

  it('a bad value gives a Warning Event and LoadBalancerReady=False, and changes nothing in AWS; fixing it recovers', async () => {
    const before = await stateOf('web')
    t.proxy.resetCalls()
    await patch('web', { metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': 'often' } } })
    const service = await reported('web', 'False', 'InvalidAnnotation')
    expect(readyCondition(service)!.message).toContain('service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval')
    const events = await waitFor(() => serviceEvents(t.world.kube.events, t.world.namespace, 'web'), (e) => e.some((x) => x.reason === 'InvalidAnnotation'), 'the Warning Event')
    expect(events.find((e) => e.reason === 'InvalidAnnotation')).toMatchObject({ type: 'Warning', note: expect.stringContaining('"often"') })
    expect(t.proxy.count({ mutating: true })).toBe(0)
    expect(hostnameOf(service)).toBe(before.balancers[0]!.balancer.DNSName)
    expect(await stateOf('web')).toEqual(before)

    await patch('web', { metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': '20' } } })
    await reported('web', 'True', 'Provisioned')
    await waitFor(() => stateOf('web'), (s) => s.targetGroups.every((g) => g.group.HealthCheckIntervalSeconds === 20), 'the fixed interval applied')
  })

  it('a change of scheme or subnets is refused with an Event while the old balancer keeps serving; reverting it clears the condition', async () => {
    const before = await stateOf('web')
    const hostname = hostnameOf(await read('web'))
    t.proxy.resetCalls()
    const twoSubnets = t.world.network.subnets.slice(0, 2).map((s) => s.subnetId).join(',')
    await patch('web', {
      metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', 'service.beta.kubernetes.io/aws-load-balancer-subnets': twoSubnets } },
    })
    const service = await reported('web', 'False', 'ImmutableChangeRefused')
    expect(readyCondition(service)!.message).toMatch(/scheme is internet-facing .* cannot change to internal/)
    expect(readyCondition(service)!.message).toMatch(/subnets are .* cannot change/)
    const events = await waitFor(() => serviceEvents(t.world.kube.events, t.world.namespace, 'web'), (e) => e.some((x) => x.reason === 'ImmutableChangeRefused'), 'the refusal Event')
    expect(events.find((e) => e.reason === 'ImmutableChangeRefused')).toMatchObject({ type: 'Warning', note: expect.stringContaining('keeps serving') })
    expect(hostnameOf(service)).toBe(hostname)
    expect(t.proxy.count({ mutating: true })).toBe(0)
    expect(await stateOf('web')).toEqual(before)

    await patch('web', { metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': null, 'service.beta.kubernetes.io/aws-load-balancer-subnets': null } } })
    await reported('web', 'True', 'Provisioned')
  })
})
