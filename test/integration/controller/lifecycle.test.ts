// A Service's life through the real controller (in process, real adapters) against the
// real kube-apiserver and moto: creation, AWS failures, spec changes, deletion. The
// controller talks to moto through the fault proxy, which counts every AWS call and injects
// the failures. Annotations have their own file (annotations.test.ts).
import { DescribeTagsCommand } from '@aws-sdk/client-elastic-load-balancing-v2'
import { describe, expect, it } from 'vitest'
import { sharedEnvironment } from '../../env/shared-environment'
import { counts, listenerOn } from './support/aws-state'
import { serviceHelpers, useLifecycleWorld, waitFor } from './support/lifecycle-world'
import { createService, FINALIZER, hostnameOf, readyCondition, serviceEvents } from './support/services'
import { instanceIds } from './support/world'

const t = useLifecycleWorld(sharedEnvironment(), 'l4-life')
const { read, stateOf, patch, mutatingCalls, reported } = serviceHelpers(t)

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

describe('a new LoadBalancer Service of our class', () => {
  it('gets an NLB: a listener and a target group per port, ready nodes registered, TCP health checks, tags, status and the finalizer', async () => {
    const created = await createService(t.world.kube.core, t.world.namespace, 'web', {
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
    expect(lb!.tags).toMatchObject({ 'edge-ingress.io/cluster': t.world.cluster, 'edge-ingress.io/service-namespace': t.world.namespace, 'edge-ingress.io/service-name': 'web' })
    expect(new Set(lb!.balancer.AvailabilityZones?.map((z) => z.SubnetId))).toEqual(new Set(t.world.network.subnets.map((s) => s.subnetId)))

    const nodePort = (name: string) => created.spec!.ports!.find((p) => p.name === name)!.nodePort!
    for (const [port, protocol, name] of [[80, 'TCP', 'http'], [53, 'UDP', 'dns']] as const) {
      const { listener, group } = listenerOn(state, port)
      expect(listener.Protocol).toBe(protocol)
      expect(group?.group.Protocol).toBe(protocol)
      expect(group?.group.Port).toBe(nodePort(name))
      expect(group?.group.TargetType).toBe('instance')
      expect(group?.group.HealthCheckProtocol).toBe('TCP')
      expect(group?.group.HealthCheckPort).toBe('traffic-port')
      expect(group?.targets.map((t) => t.id)).toEqual(instanceIds(t.world.nodes))
      expect(group?.targets.every((t) => t.port === nodePort(name))).toBe(true)
      expect(group?.tags).toMatchObject({ 'edge-ingress.io/cluster': t.world.cluster, 'edge-ingress.io/service-port': name })
    }

    // Listeners carry the ownership tags too: the IAM policy lets the controller change only tagged resources.
    const listenerTags = await t.world.aws.elbv2.send(new DescribeTagsCommand({ ResourceArns: lb!.listeners.map((l) => l.ListenerArn!) }))
    for (const d of listenerTags.TagDescriptions ?? []) expect(d.Tags).toContainEqual({ Key: 'edge-ingress.io/cluster', Value: t.world.cluster })
    expect(listenerTags.TagDescriptions).toHaveLength(2)
    expect(hostnameOf(service)).toBe(lb!.balancer.DNSName)
    expect(service.status!.loadBalancer!.ingress![0]!.ports).toEqual([
      { port: 53, protocol: 'UDP' },
      { port: 80, protocol: 'TCP' },
    ])
    expect(service.metadata!.finalizers).toContain(FINALIZER)
    const events = await serviceEvents(t.world.kube.events, t.world.namespace, 'web')
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['EnsuringLoadBalancer', 'EnsuredLoadBalancer']))
    expect(events.find((e) => e.reason === 'EnsuringLoadBalancer')?.note).toContain('create load balancer')
  })
})

describe('AWS failures', () => {
  it('a failing AWS call gives a Warning Event and LoadBalancerReady=False (AwsError); the retry converges', async () => {
    t.proxy.failNth({ action: 'CreateTargetGroup', nth: 1 })
    t.proxy.failNth({ action: 'CreateTargetGroup', nth: 2 })
    await createService(t.world.kube.core, t.world.namespace, 'flaky')
    const service = await reported('flaky', 'False', 'AwsError')
    expect(readyCondition(service)!.message).toContain('InjectedFault')
    const failed = await waitFor(() => serviceEvents(t.world.kube.events, t.world.namespace, 'flaky'), (e) => e.some((x) => x.reason === 'SyncLoadBalancerFailed'), 'the failure Event')
    expect(failed.find((x) => x.reason === 'SyncLoadBalancerFailed')).toMatchObject({ type: 'Warning', note: expect.stringContaining('CreateTargetGroup: InjectedFault') })
    await reported('flaky', 'True', 'Provisioned')
    expect(counts(await stateOf('flaky'))).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })
    expect(t.proxy.count({ action: 'CreateLoadBalancer' })).toBe(1)
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
    expect(group?.targets.map((t) => t.id)).toEqual(instanceIds(t.world.nodes))
    expect(group?.group.TargetGroupArn).not.toBe(oldGroup.group.TargetGroupArn)
    expect(hostnameOf(await read('web'))).toBe(hostname)
    expect((await read('web'))!.status!.loadBalancer!.ingress![0]!.ports).toEqual([
      { port: 53, protocol: 'TCP' },
      { port: 53, protocol: 'UDP' },
      { port: 8080, protocol: 'TCP' },
    ])
    // Order of the calls: the new group exists and has its targets before the listener points at it; the old group goes last.
    const order = t.proxy.calls({ service: 'elbv2', mutating: true, outcome: 'forwarded' }).map((c) => c.action)
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
    expect(group?.targets).toEqual(instanceIds(t.world.nodes).map((id) => ({ id, port: nodePort })))
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

describe('deletion behind the finalizer', () => {
  it('deletes the listeners, balancer and target groups, then removes the finalizer', async () => {
    await createService(t.world.kube.core, t.world.namespace, 'short-lived')
    await reported('short-lived', 'True')
    expect(counts(await stateOf('short-lived'))).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })
    await t.world.kube.core.deleteNamespacedService({ namespace: t.world.namespace, name: 'short-lived' })
    await waitFor(() => read('short-lived'), (s) => s === null, 'the Service to be gone')
    expect(counts(await stateOf('short-lived'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
    const events = await serviceEvents(t.world.kube.events, t.world.namespace, 'short-lived')
    expect(events.map((e) => e.reason)).toEqual(expect.arrayContaining(['DeletingLoadBalancer', 'DeletedLoadBalancer']))
  })

  it('retries quietly when ELBv2 still finds a target group in use right after its balancer was deleted', async () => {
    await createService(t.world.kube.core, t.world.namespace, 'still-in-use')
    await reported('still-in-use', 'True')
    t.proxy.resetCalls()
    t.proxy.failNth({ action: 'DeleteTargetGroup', nth: 1, error: { status: 400, code: 'ResourceInUse', message: 'Target group is currently in use by a listener or a rule' } })
    await t.world.kube.core.deleteNamespacedService({ namespace: t.world.namespace, name: 'still-in-use' })
    await waitFor(() => read('still-in-use'), (s) => s === null, 'the Service to be gone')
    expect(counts(await stateOf('still-in-use'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
    expect(t.proxy.calls({ action: 'DeleteTargetGroup' }).map((c) => c.outcome)).toEqual(['failed', 'forwarded'])
    const reasons = (await serviceEvents(t.world.kube.events, t.world.namespace, 'still-in-use')).map((e) => e.reason)
    expect(reasons).not.toContain('DeleteLoadBalancerFailed')
    expect(t.controller.logs.some((l) => l.msg === 'requeued' && l.key === `${t.world.namespace}/still-in-use` && String(l.reason).includes('ResourceInUse'))).toBe(true)
  })

  it('finishes after a failure that came once the balancer was deleted: the target groups are found by their tags and deleted before the finalizer goes', async () => {
    await createService(t.world.kube.core, t.world.namespace, 'fails-once', {
      ports: [
        { name: 'a', port: 80, protocol: 'TCP' },
        { name: 'b', port: 443, protocol: 'TCP' },
      ],
    })
    await reported('fails-once', 'True')
    t.proxy.resetCalls()
    // AWS deletes the balancer, the controller is told it failed; then the first target group deletion fails too.
    t.proxy.failNth({ action: 'DeleteLoadBalancer', nth: 1, when: 'after' })
    t.proxy.failNth({ action: 'DeleteTargetGroup', nth: 1, when: 'before' })
    await t.world.kube.core.deleteNamespacedService({ namespace: t.world.namespace, name: 'fails-once' })
    const failed = await waitFor(() => serviceEvents(t.world.kube.events, t.world.namespace, 'fails-once'), (e) => e.some((x) => x.reason === 'DeleteLoadBalancerFailed'), 'a failure Event')
    expect(failed.find((e) => e.reason === 'DeleteLoadBalancerFailed')?.type).toBe('Warning')
    await waitFor(() => read('fails-once'), (s) => s === null, 'the Service to be gone')
    expect(counts(await stateOf('fails-once'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
    expect(t.proxy.count({ action: 'DeleteTargetGroup', outcome: 'forwarded' })).toBe(2)
  })
})
