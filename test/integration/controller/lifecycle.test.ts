// A Service's life through the real controller (in process, real adapters) against the
// real kube-apiserver and moto: creation, spec and annotation changes, refusals, deletion.
// The controller talks to moto through the fault proxy, which counts every AWS call and
// injects the failure of the deletion test.
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm'
import { AllocateAddressCommand } from '@aws-sdk/client-ec2'
import { DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { awsClientConfig } from '../../env/clients'
import { FaultProxy } from '../../env/fault-proxy'
import { sharedEnvironment } from '../../env/shared-environment'
import { eventually } from '../edge/support/eventually'
import { clusterState, counts, listenerOn, serviceState } from './support/aws-state'
import { startInProcessController, type InProcessController } from './support/in-process'
import { createService, deleteServicesAndWait, FINALIZER, hostnameOf, patchService, readService, readyCondition, serviceEvents } from './support/services'
import { createWorld, instanceIds, type World } from './support/world'

const env = sharedEnvironment()
let world: World
let proxy: FaultProxy
let controller: InProcessController

const waitFor = <T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string) => eventually(probe, ok, what, 600, 50)
const stateOf = async (name: string) => serviceState(await clusterState(world.aws.elbv2, world.cluster), world.namespace, name)
const read = (name: string) => readService(world.kube.core, world.namespace, name)
const patch = (name: string, body: object) => patchService(world.kube.core, world.namespace, name, body)
const mutatingCalls = () => proxy.countsByAction({ mutating: true })

/**
 * Waits for the LoadBalancerReady condition. Services carry no metadata.generation, so the
 * condition cannot say which spec it describes: tests that change a Service wait for the
 * AWS state they expect as well.
 */
const reported = (name: string, status: 'True' | 'False', reason?: string) =>
  waitFor(
    () => read(name),
    (s) => readyCondition(s)?.status === status && (reason === undefined || readyCondition(s)?.reason === reason),
    `${name}: LoadBalancerReady=${status}${reason ? ` (${reason})` : ''}`,
  ).then((s) => s!)

/** A free node port: the API server refuses one that is taken, so try until it accepts. */
async function withNewNodePort(name: string, ports: (nodePort: number) => object[]): Promise<number> {
  for (;;) {
    const nodePort = 30000 + Math.floor(Math.random() * 2768)
    try {
      await patch(name, { spec: { ports: ports(nodePort) } })
      return nodePort
    } catch (error) {
      if ((error as { code?: number }).code !== 422) throw error
    }
  }
}

beforeAll(async () => {
  world = await createWorld(env, { prefix: 'l4-life', nodes: 3, internalSubnets: true })
  proxy = await FaultProxy.start(env.motoUrl)
  controller = startInProcessController(env, { cluster: world.cluster, awsEndpoint: proxy.url })
  await controller.started
})

afterAll(async () => {
  // Services of our class left in the shared cluster would be adopted by every later controller.
  if (controller && world) await deleteServicesAndWait(world.kube.core, world.namespace)
  await controller?.stop()
  await proxy?.close()
  await world?.dispose()
})

beforeEach(() => {
  proxy.clearFaults()
  proxy.resetCalls()
})

describe('a new LoadBalancer Service of our class', () => {
  it('gets an NLB: a listener and a target group per port, ready nodes registered, TCP health checks, tags, status and the finalizer', async () => {
    const created = await createService(world.kube.core, world.namespace, 'web', {
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP' },
      ],
    })
    const service = await reported('web', 'True', 'Provisioned')
    const state = await stateOf('web')
    expect(counts(state)).toEqual({ balancers: 1, targetGroups: 2, listeners: 2 })
    const [lb] = state.balancers
    expect(lb!.balancer.Type).toBe('network')
    expect(lb!.balancer.Scheme).toBe('internet-facing')
    expect(lb!.balancer.LoadBalancerName!.length).toBeLessThanOrEqual(32)
    expect(lb!.tags).toMatchObject({ 'edge-ingress.io/cluster': world.cluster, 'edge-ingress.io/service-namespace': world.namespace, 'edge-ingress.io/service-name': 'web' })
    expect(new Set(lb!.balancer.AvailabilityZones?.map((z) => z.SubnetId))).toEqual(new Set(world.network.subnets.map((s) => s.subnetId)))

    const nodePort = (name: string) => created.spec!.ports!.find((p) => p.name === name)!.nodePort!
    for (const [port, protocol, name] of [[80, 'TCP', 'http'], [53, 'UDP', 'dns']] as const) {
      const { listener, group } = listenerOn(state, port)
      expect(listener.Protocol).toBe(protocol)
      expect(group?.group.Protocol).toBe(protocol)
      expect(group?.group.Port).toBe(nodePort(name))
      expect(group?.group.TargetType).toBe('instance')
      expect(group?.group.HealthCheckProtocol).toBe('TCP')
      expect(group?.group.HealthCheckPort).toBe('traffic-port')
      expect(group?.targets.map((t) => t.id)).toEqual(instanceIds(world.nodes))
      expect(group?.targets.every((t) => t.port === nodePort(name))).toBe(true)
      expect(group?.tags).toMatchObject({ 'edge-ingress.io/cluster': world.cluster, 'edge-ingress.io/service-port': name })
    }

    // Listeners carry the ownership tags too: the IAM policy lets the controller change only tagged resources.
    const listenerTags = await world.aws.elbv2.send(new DescribeTagsCommand({ ResourceArns: lb!.listeners.map((l) => l.ListenerArn!) }))
    for (const d of listenerTags.TagDescriptions ?? []) expect(d.Tags).toContainEqual({ Key: 'edge-ingress.io/cluster', Value: world.cluster })
    expect(listenerTags.TagDescriptions).toHaveLength(2)
    expect(hostnameOf(service)).toBe(lb!.balancer.DNSName)
    expect(service.status!.loadBalancer!.ingress![0]!.ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 80, protocol: 'TCP' },
    ])
    expect(service.metadata!.finalizers).toContain(FINALIZER)
    const events = await serviceEvents(world.kube.events, world.namespace, 'web')
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['EnsuringLoadBalancer', 'EnsuredLoadBalancer']))
    expect(events.find((e) => e.reason === 'EnsuringLoadBalancer')?.note).toContain('create load balancer')
  })
})

describe('annotations at creation', () => {
  it('a certificate makes the ssl-ports TLS listeners (certificate, policy); the other ports stay TCP', async () => {
    // moto checks that a listener's certificate exists in ACM.
    const acm = new ACMClient(awsClientConfig(env))
    const { CertificateArn: certificate } = await acm.send(new RequestCertificateCommand({ DomainName: 'secure.example.com' }))
    await createService(world.kube.core, world.namespace, 'secure', {
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
    await createService(world.kube.core, world.namespace, 'inside', { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } })
    await reported('inside', 'True', 'Provisioned')
    expect((await stateOf('inside')).balancers[0]!.balancer.Scheme).toBe('internal')
  })

  it('eip-allocations places one Elastic IP per subnet; a count that does not match the subnets is refused before any AWS change', async () => {
    const allocations: string[] = []
    for (let i = 0; i < 3; i++) allocations.push((await world.aws.ec2.send(new AllocateAddressCommand({ Domain: 'vpc' }))).AllocationId!)
    await createService(world.kube.core, world.namespace, 'static-ips', { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-eip-allocations': allocations.join(',') } })
    // moto keeps the subnets but not the allocations (real ELBv2 lists them under
    // LoadBalancerAddresses): what AWS was asked for is read off the request, and the Ready
    // condition is not awaited, since later reconciles against moto see a balancer without EIPs.
    const state = await waitFor(() => stateOf('static-ips'), (s) => counts(s).listeners === 1, 'the balancer of static-ips and its listener')
    const balancer = state.balancers[0]!.balancer
    const [create] = proxy.calls({ action: 'CreateLoadBalancer' }).filter((c) => c.parameters.Name === balancer.LoadBalancerName)
    const mappings = [1, 2, 3].map((n) => ({ subnet: create!.parameters[`SubnetMappings.member.${n}.SubnetId`], allocation: create!.parameters[`SubnetMappings.member.${n}.AllocationId`] }))
    expect(mappings.map((m) => m.allocation)).toEqual(allocations)
    expect(mappings.map((m) => m.subnet).sort()).toEqual(world.network.subnets.map((s) => s.subnetId).sort())
    expect(balancer.AvailabilityZones!.map((z) => z.SubnetId).sort()).toEqual(world.network.subnets.map((s) => s.subnetId).sort())

    const creates = proxy.count({ action: 'CreateLoadBalancer' })
    await createService(world.kube.core, world.namespace, 'two-ips', { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-eip-allocations': allocations.slice(0, 2).join(',') } })
    const refused = await reported('two-ips', 'False', 'InvalidAnnotation')
    expect(readyCondition(refused)!.message).toMatch(/^service\.beta\.kubernetes\.io\/aws-load-balancer-eip-allocations: needs one allocation per subnet \(3 subnets: .*; 2 allocations\)$/)
    expect(proxy.count({ action: 'CreateLoadBalancer' })).toBe(creates)
    expect(counts(await stateOf('two-ips'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
  })

  it('subnets that do not exist: a Warning Event and LoadBalancerReady=False, nothing created', async () => {
    await createService(world.kube.core, world.namespace, 'nowhere', { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-subnets': 'subnet-0123456789abcdef0' } })
    const service = await reported('nowhere', 'False', 'SubnetsNotFound')
    expect(readyCondition(service)!.message).toBe('subnets not found: subnet-0123456789abcdef0')
    const events = await waitFor(() => serviceEvents(world.kube.events, world.namespace, 'nowhere'), (e) => e.some((x) => x.reason === 'SubnetsNotFound'), 'the Warning Event')
    expect(events.find((e) => e.reason === 'SubnetsNotFound')?.type).toBe('Warning')
    expect(counts(await stateOf('nowhere'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
  })
})

describe('AWS failures', () => {
  it('a failing AWS call gives a Warning Event and LoadBalancerReady=False (AwsError); the retry converges', async () => {
    proxy.failNth({ action: 'CreateTargetGroup', nth: 1 })
    proxy.failNth({ action: 'CreateTargetGroup', nth: 2 })
    await createService(world.kube.core, world.namespace, 'flaky')
    const service = await reported('flaky', 'False', 'AwsError')
    expect(readyCondition(service)!.message).toContain('InjectedFault')
    const failed = await waitFor(() => serviceEvents(world.kube.events, world.namespace, 'flaky'), (e) => e.some((x) => x.reason === 'SyncLoadBalancerFailed'), 'the failure Event')
    expect(failed.find((x) => x.reason === 'SyncLoadBalancerFailed')).toMatchObject({ type: 'Warning', note: expect.stringContaining('CreateTargetGroup: InjectedFault') })
    await reported('flaky', 'True', 'Provisioned')
    expect(counts(await stateOf('flaky'))).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })
    expect(proxy.count({ action: 'CreateLoadBalancer' })).toBe(1)
  })
})

describe('spec changes', () => {
  it('a port change moves the listener and keeps the balancer, its hostname and the target group', async () => {
    const before = await stateOf('web')
    const hostname = hostnameOf(await read('web'))
    const { group: httpGroup } = listenerOn(before, 80)
    const current = (await read('web'))!.spec!.ports!
    await patch('web', { spec: { ports: current.map((p) => (p.name === 'http' ? { ...p, port: 8080 } : p)) } })
    const service = await waitFor(() => read('web'), (s) => s?.status?.loadBalancer?.ingress?.[0]?.ports?.some((p) => p.port === 8080) ?? false, 'port 8080 in the status')
    const after = await stateOf('web')
    expect(counts(after)).toEqual({ balancers: 1, targetGroups: 2, listeners: 2 })
    expect(after.balancers[0]!.balancer.LoadBalancerArn).toBe(before.balancers[0]!.balancer.LoadBalancerArn)
    expect(after.balancers[0]!.listeners.map((l) => l.Port)).toEqual([53, 8080])
    expect(listenerOn(after, 8080).group?.group.TargetGroupArn).toBe(httpGroup?.group.TargetGroupArn)
    expect(hostnameOf(service)).toBe(hostname)
    expect(mutatingCalls()).not.toHaveProperty('elbv2:CreateLoadBalancer')
  })

  it('a protocol change on the same port (UDP -> TCP+UDP) gets a TCP_UDP listener on a new target group, filled before the listener moves; the old group is deleted', async () => {
    const before = await stateOf('web')
    const hostname = hostnameOf(await read('web'))
    const oldGroup = listenerOn(before, 53).group!
    const dnsNodePort = oldGroup.group.Port!
    const ports = (await read('web'))!.spec!.ports!.filter((p) => p.name !== 'dns')
    await patch('web', {
      spec: {
        ports: [
          ...ports,
          { name: 'dns', port: 53, targetPort: 5353, protocol: 'UDP', nodePort: dnsNodePort },
          { name: 'dns-tcp', port: 53, targetPort: 5353, protocol: 'TCP', nodePort: dnsNodePort },
        ],
      },
    })
    const after = await waitFor(() => stateOf('web'), (s) => s.targetGroups.length === 2 && listenerOn(s, 53).listener.Protocol === 'TCP_UDP', 'a TCP_UDP listener on 53')
    expect(counts(after)).toEqual({ balancers: 1, targetGroups: 2, listeners: 2 })
    const { listener, group } = listenerOn(after, 53)
    expect(listener.Protocol).toBe('TCP_UDP')
    expect(group?.group.Protocol).toBe('TCP_UDP')
    expect(group?.group.Port).toBe(dnsNodePort)
    expect(group?.targets.map((t) => t.id)).toEqual(instanceIds(world.nodes))
    expect(group?.group.TargetGroupArn).not.toBe(oldGroup.group.TargetGroupArn)
    expect(hostnameOf(await read('web'))).toBe(hostname)
    expect((await read('web'))!.status!.loadBalancer!.ingress![0]!.ports).toEqual([
      { port: 53, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
      { port: 8080, protocol: 'TCP' },
    ])
    // Order of the calls: the new group exists and has its targets before the listener points at it; the old group goes last.
    const order = proxy.calls({ service: 'elbv2', mutating: true, outcome: 'forwarded' }).map((c) => c.action)
    const listenerMoves = order.flatMap((action, i) => (action === 'ModifyListener' || action === 'CreateListener' ? [i] : []))
    expect(order.indexOf('CreateTargetGroup')).toBeLessThan(order.indexOf('RegisterTargets'))
    expect(order.indexOf('RegisterTargets')).toBeLessThan(listenerMoves[0]!)
    expect(order.indexOf('DeleteTargetGroup')).toBeGreaterThan(listenerMoves.at(-1)!)
  })

  it('a nodePort change moves the port to a new target group on the new node port and deletes the old group', async () => {
    const before = await stateOf('web')
    const oldGroup = listenerOn(before, 8080).group!
    const others = (await read('web'))!.spec!.ports!.filter((p) => p.name !== 'http')
    const nodePort = await withNewNodePort('web', (n) => [...others, { name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP', nodePort: n }])
    const after = await waitFor(() => stateOf('web'), (s) => listenerOn(s, 8080).group?.group.Port === nodePort && s.targetGroups.length === 2, 'the listener on the new node port')
    const { group } = listenerOn(after, 8080)
    expect(group?.targets).toEqual(instanceIds(world.nodes).map((id) => ({ id, port: nodePort })))
    expect(after.targetGroups.map((g) => g.group.TargetGroupArn)).not.toContain(oldGroup.group.TargetGroupArn)
    expect(counts(after)).toEqual({ balancers: 1, targetGroups: 2, listeners: 2 })
  })

  it('externalTrafficPolicy Cluster -> Local switches every health check to HTTP /healthz on healthCheckNodePort, in place', async () => {
    const before = await stateOf('web')
    await patch('web', { spec: { externalTrafficPolicy: 'Local' } })
    const healthCheckNodePort = (await read('web'))!.spec!.healthCheckNodePort!
    expect(healthCheckNodePort).toBeGreaterThan(0)
    const after = await waitFor(() => stateOf('web'), (s) => s.targetGroups.every((g) => g.group.HealthCheckProtocol === 'HTTP'), 'HTTP health checks')
    for (const { group } of after.targetGroups) {
      expect(group.HealthCheckPort).toBe(String(healthCheckNodePort))
      expect(group.HealthCheckPath).toBe('/healthz')
      expect(group.HealthyThresholdCount).toBe(2)
    }
    expect(after.targetGroups.map((g) => g.group.TargetGroupArn).sort()).toEqual(before.targetGroups.map((g) => g.group.TargetGroupArn).sort())
    expect(mutatingCalls()).toEqual({ 'elbv2:ModifyTargetGroup': 2 })
  })
})

describe('annotations', () => {
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
    proxy.resetCalls()
    await patch('web', { metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': 'often' } } })
    const service = await reported('web', 'False', 'InvalidAnnotation')
    expect(readyCondition(service)!.message).toContain('service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval')
    const events = await waitFor(() => serviceEvents(world.kube.events, world.namespace, 'web'), (e) => e.some((x) => x.reason === 'InvalidAnnotation'), 'the Warning Event')
    expect(events.find((e) => e.reason === 'InvalidAnnotation')).toMatchObject({ type: 'Warning', note: expect.stringContaining('"often"') })
    expect(proxy.count({ mutating: true })).toBe(0)
    expect(hostnameOf(service)).toBe(before.balancers[0]!.balancer.DNSName)
    expect(await stateOf('web')).toEqual(before)

    await patch('web', { metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval': '20' } } })
    await reported('web', 'True', 'Provisioned')
    await waitFor(() => stateOf('web'), (s) => s.targetGroups.every((g) => g.group.HealthCheckIntervalSeconds === 20), 'the fixed interval applied')
  })

  it('a change of scheme or subnets is refused with an Event while the old balancer keeps serving; reverting it clears the condition', async () => {
    const before = await stateOf('web')
    const hostname = hostnameOf(await read('web'))
    proxy.resetCalls()
    const twoSubnets = world.network.subnets.slice(0, 2).map((s) => s.subnetId).join(',')
    await patch('web', {
      metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', 'service.beta.kubernetes.io/aws-load-balancer-subnets': twoSubnets } },
    })
    const service = await reported('web', 'False', 'ImmutableChangeRefused')
    expect(readyCondition(service)!.message).toMatch(/scheme is internet-facing .* cannot change to internal/)
    expect(readyCondition(service)!.message).toMatch(/subnets are .* cannot change/)
    const events = await waitFor(() => serviceEvents(world.kube.events, world.namespace, 'web'), (e) => e.some((x) => x.reason === 'ImmutableChangeRefused'), 'the refusal Event')
    expect(events.find((e) => e.reason === 'ImmutableChangeRefused')).toMatchObject({ type: 'Warning', note: expect.stringContaining('keeps serving') })
    expect(hostnameOf(service)).toBe(hostname)
    expect(proxy.count({ mutating: true })).toBe(0)
    expect(await stateOf('web')).toEqual(before)

    await patch('web', { metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': null, 'service.beta.kubernetes.io/aws-load-balancer-subnets': null } } })
    await reported('web', 'True', 'Provisioned')
  })
})

describe('deletion behind the finalizer', () => {
  it('deletes the listeners, balancer and target groups, then removes the finalizer', async () => {
    await createService(world.kube.core, world.namespace, 'short-lived')
    await reported('short-lived', 'True')
    expect(counts(await stateOf('short-lived'))).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })
    await world.kube.core.deleteNamespacedService({ namespace: world.namespace, name: 'short-lived' })
    await waitFor(() => read('short-lived'), (s) => s === null, 'the Service to be gone')
    expect(counts(await stateOf('short-lived'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
    const events = await serviceEvents(world.kube.events, world.namespace, 'short-lived')
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['DeletingLoadBalancer', 'DeletedLoadBalancer']))
  })

  it('retries quietly when ELBv2 still finds a target group in use right after its balancer was deleted', async () => {
    await createService(world.kube.core, world.namespace, 'still-in-use')
    await reported('still-in-use', 'True')
    proxy.resetCalls()
    proxy.failNth({ action: 'DeleteTargetGroup', nth: 1, error: { status: 400, code: 'ResourceInUse', message: 'Target group is currently in use by a listener or a rule' } })
    await world.kube.core.deleteNamespacedService({ namespace: world.namespace, name: 'still-in-use' })
    await waitFor(() => read('still-in-use'), (s) => s === null, 'the Service to be gone')
    expect(counts(await stateOf('still-in-use'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
    expect(proxy.calls({ action: 'DeleteTargetGroup' }).map((c) => c.outcome)).toEqual(['failed', 'forwarded'])
    const reasons = (await serviceEvents(world.kube.events, world.namespace, 'still-in-use')).map((e) => e.reason)
    expect(reasons).not.toContain('DeleteLoadBalancerFailed')
    expect(controller.logs.some((l) => l.msg === 'requeued' && l.key === `${world.namespace}/still-in-use` && String(l.reason).includes('ResourceInUse'))).toBe(true)
  })

  it('finishes after a failure that came once the balancer was deleted: the target groups are found by their tags and deleted before the finalizer goes', async () => {
    await createService(world.kube.core, world.namespace, 'fails-once', {
      ports: [
        { name: 'a', port: 80, protocol: 'TCP' },
        { name: 'b', port: 443, protocol: 'TCP' },
      ],
    })
    await reported('fails-once', 'True')
    proxy.resetCalls()
    // AWS deletes the balancer, the controller is told it failed; then the first target group deletion fails too.
    proxy.failNth({ action: 'DeleteLoadBalancer', nth: 1, when: 'after' })
    proxy.failNth({ action: 'DeleteTargetGroup', nth: 1, when: 'before' })
    await world.kube.core.deleteNamespacedService({ namespace: world.namespace, name: 'fails-once' })
    const failed = await waitFor(() => serviceEvents(world.kube.events, world.namespace, 'fails-once'), (e) => e.some((x) => x.reason === 'DeleteLoadBalancerFailed'), 'a failure Event')
    expect(failed.find((e) => e.reason === 'DeleteLoadBalancerFailed')?.type).toBe('Warning')
    await waitFor(() => read('fails-once'), (s) => s === null, 'the Service to be gone')
    expect(counts(await stateOf('fails-once'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
    expect(proxy.count({ action: 'DeleteTargetGroup', outcome: 'forwarded' })).toBe(2)
  })
})
