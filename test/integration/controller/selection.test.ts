// Which Services the controller touches, and which balancers it may delete, in a test
// environment of its own (the default-class controller would otherwise adopt every
// class-less Service other test files leave behind): another class is left alone,
// class-less Services only with --default-load-balancer-class, a type change away from
// LoadBalancer cleans up behind the finalizer, the orphan sweep deletes exactly the
// balancers tagged for this cluster whose Service is gone, long names stay distinct.
import {
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeListenersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadBalancerName } from '../../../controller/src/load-balancer/names'
import { startEnvironment, type TestEnvironment } from '../../env/environment'
import { uniqueName } from '../../env/fixtures/names'
import { eventually } from '../edge/support/eventually'
import { clusterState, counts, serviceState } from './support/aws-state'
import { reconcileCount, startInProcessController, type InProcessController } from './support/in-process'
import { createService, FINALIZER, hostnameOf, patchService, readService, readyCondition, serviceEvents } from './support/services'
import { createWorld, type World } from './support/world'

let environment: TestEnvironment
let world: World
let controller: InProcessController | undefined

const waitFor = <T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string) => eventually(probe, ok, what, 600, 50)
const read = (name: string) => readService(world.kube.core, world.namespace, name)
const stateOf = async (name: string) => serviceState(await clusterState(world.aws.elbv2, world.cluster), world.namespace, name)
const provisioned = (name: string) => waitFor(() => read(name), (s) => !!hostnameOf(s), `${name} provisioned`)

async function restartController(options: { defaultLoadBalancerClass?: boolean } = {}): Promise<InProcessController> {
  await controller?.stop()
  controller = startInProcessController(environment.info, { cluster: world.cluster, ...options })
  await controller.started
  return controller
}

/** Runs a resync and waits until every key it queued was reconciled. */
async function resyncAndSettle(c: InProcessController, keys: number): Promise<void> {
  const before = await reconcileCount(c.metrics)
  await c.module.resync()
  await waitFor(() => reconcileCount(c.metrics), (n) => n >= before + keys, `${keys} reconciles after a resync`)
}

/** A Service the controller must not have touched: no balancer, no finalizer, no status, no Event. */
async function expectUntouched(name: string): Promise<void> {
  const service = await read(name)
  expect(service?.metadata?.finalizers ?? []).not.toContain(FINALIZER)
  expect(service?.status?.loadBalancer?.ingress ?? []).toEqual([])
  expect(readyCondition(service)).toBeUndefined()
  expect(await serviceEvents(world.kube.events, world.namespace, name)).toEqual([])
  expect(counts(await stateOf(name))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
}

beforeAll(async () => {
  environment = await startEnvironment({ name: 'l4-selection' })
  world = await createWorld(environment.info, { prefix: 'l4-sel', nodes: 2 })
})

afterAll(async () => {
  await controller?.stop()
  await environment?.stop()
})

describe('which Services', () => {
  it('leaves a Service of another class alone, and a class-less one unless it is the default class', async () => {
    const c = await restartController()
    await createService(world.kube.core, world.namespace, 'foreign', { loadBalancerClass: 'example.com/other-lb' })
    await createService(world.kube.core, world.namespace, 'plain', { loadBalancerClass: null })
    await createService(world.kube.core, world.namespace, 'ours')
    await provisioned('ours')
    await resyncAndSettle(c, 1)
    await expectUntouched('foreign')
    await expectUntouched('plain')
  })

  it('with --default-load-balancer-class it also serves class-less Services, still not another class', async () => {
    const c = await restartController({ defaultLoadBalancerClass: true })
    const service = await provisioned('plain')
    expect(service?.metadata?.finalizers).toContain(FINALIZER)
    expect(counts(await stateOf('plain'))).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })
    await resyncAndSettle(c, 2)
    await expectUntouched('foreign')
  })

  it('keeps the balancer of a Service it stopped recognising (no longer the default class): never deletes what it merely does not manage', async () => {
    const c = await restartController({ defaultLoadBalancerClass: false })
    await resyncAndSettle(c, 2)
    expect(counts(await stateOf('plain'))).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })
    expect((await read('plain'))?.metadata?.finalizers).toContain(FINALIZER)
  })

  it('cleans up behind the finalizer when the Service stops being a LoadBalancer, and clears the status it wrote', async () => {
    await patchService(world.kube.core, world.namespace, 'ours', { spec: { type: 'ClusterIP', loadBalancerClass: null, externalTrafficPolicy: null } })
    const service = await waitFor(() => read('ours'), (s) => !(s?.metadata?.finalizers ?? []).includes(FINALIZER), 'the finalizer removed')
    expect(service?.spec?.type).toBe('ClusterIP')
    expect(service?.status?.loadBalancer?.ingress ?? []).toEqual([])
    expect(readyCondition(service)).toBeUndefined()
    expect(counts(await stateOf('ours'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
  })
})

describe('orphan sweep', () => {
  it('deletes balancers and target groups tagged for this cluster whose Service is gone, and nothing else', async () => {
    const { elbv2 } = world.aws
    await createService(world.kube.core, world.namespace, 'doomed', {
      ports: [
        { name: 'a', port: 80, protocol: 'TCP' },
        { name: 'b', port: 81, protocol: 'TCP' },
      ],
    })
    await provisioned('doomed')
    // The Service goes while no controller runs, its finalizer removed by hand.
    await controller!.stop()
    controller = undefined
    await patchService(world.kube.core, world.namespace, 'doomed', { metadata: { finalizers: null } })
    await world.kube.core.deleteNamespacedService({ namespace: world.namespace, name: 'doomed' })

    // Look-alikes that are not ours to delete: another cluster's, an untagged one, and one tagged for us without our name prefix.
    const subnets = world.network.subnets.map((s) => s.subnetId)
    const ownerTags = (cluster: string) => [
      { Key: 'edge-ingress.io/cluster', Value: cluster },
      { Key: 'edge-ingress.io/service-namespace', Value: world.namespace },
      { Key: 'edge-ingress.io/service-name', Value: 'doomed' },
    ]
    const others = await Promise.all([
      elbv2.send(new CreateLoadBalancerCommand({ Name: `ei-other-${uniqueName('c')}`, Type: 'network', Subnets: subnets, Tags: ownerTags(uniqueName('other-cluster')) })),
      elbv2.send(new CreateLoadBalancerCommand({ Name: `ei-${uniqueName('untagged')}`, Type: 'network', Subnets: subnets })),
      elbv2.send(new CreateLoadBalancerCommand({ Name: uniqueName('hand-made'), Type: 'network', Subnets: subnets, Tags: ownerTags(world.cluster) })),
    ])
    const otherGroup = await elbv2.send(
      new CreateTargetGroupCommand({ Name: `ei-${uniqueName('tg')}`, Protocol: 'TCP', Port: 30000, VpcId: world.network.vpcId, Tags: ownerTags(uniqueName('other-cluster')) }),
    )
    const orphan = await stateOf('doomed')
    expect(counts(orphan)).toEqual({ balancers: 2, targetGroups: 2, listeners: 2 })

    const c = await restartController({ defaultLoadBalancerClass: false })
    const left = await waitFor(() => stateOf('doomed'), (s) => s.targetGroups.length === 0 && s.balancers.length === 1, 'the orphan deleted')
    // What stays tagged for us is the hand-made balancer outside our naming scheme.
    expect(left.balancers.map((b) => b.balancer.LoadBalancerName)).toEqual([others[2].LoadBalancers![0]!.LoadBalancerName])
    expect(await c.metrics.loadBalancers.orphansDeleted.get()).toMatchObject({ values: [{ value: 1 }] })
    expect(c.logs.some((l) => l.msg === 'deleting load balancer resources whose Service no longer exists' && l.service === `${world.namespace}/doomed`)).toBe(true)
    // The others still exist: deleting them here must succeed.
    for (const created of others) await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: created.LoadBalancers![0]!.LoadBalancerArn }))
    await elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: otherGroup.TargetGroups![0]!.TargetGroupArn }))
    // The Services that exist keep their balancers.
    expect(counts(await stateOf('plain'))).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })
  })
})

describe('names', () => {
  it('leaves a balancer alone that has our deterministic name but another owner: Warning Event, LoadBalancerReady=False', async () => {
    const { elbv2 } = world.aws
    const name = loadBalancerName({ cluster: world.cluster, namespace: world.namespace, name: 'squatted' })
    const foreign = await elbv2.send(
      new CreateLoadBalancerCommand({ Name: name, Type: 'network', Subnets: world.network.subnets.map((s) => s.subnetId), Tags: [{ Key: 'owner', Value: 'someone-else' }] }),
    )
    await createService(world.kube.core, world.namespace, 'squatted')
    const service = await waitFor(() => read('squatted'), (s) => readyCondition(s)?.reason === 'LoadBalancerNameTaken', 'the refusal')
    expect(readyCondition(service)).toMatchObject({ status: 'False', message: `load balancer ${name} exists but is not tagged for ${world.namespace}/squatted in cluster ${world.cluster}` })
    const events = await waitFor(() => serviceEvents(world.kube.events, world.namespace, 'squatted'), (e) => e.some((x) => x.reason === 'LoadBalancerNameTaken'), 'the Event')
    expect(events.find((x) => x.reason === 'LoadBalancerNameTaken')?.type).toBe('Warning')
    expect(hostnameOf(service)).toBeUndefined()
    // Deleting the Service removes the finalizer and leaves the foreign balancer as it was.
    await world.kube.core.deleteNamespacedService({ namespace: world.namespace, name: 'squatted' })
    await waitFor(() => read('squatted'), (s) => s === null, 'the Service to be gone')
    const still = await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: foreign.LoadBalancers![0]!.LoadBalancerArn }))
    expect(still.Listeners).toEqual([])
    await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: foreign.LoadBalancers![0]!.LoadBalancerArn }))
  })

  it('two Services with long names sharing a prefix get distinct valid balancers and target groups', async () => {
    const prefix = 'payments-gateway-internal-service-with-a-long-shared-prefix'
    const names = [`${prefix}-a`, `${prefix}-b`]
    for (const name of names) await createService(world.kube.core, world.namespace, name)
    const services = await Promise.all(names.map(provisioned))
    expect(hostnameOf(services[0]!)).not.toBe(hostnameOf(services[1]!))
    const states = await Promise.all(names.map(stateOf))
    const awsNames = states.flatMap((s) => [...s.balancers.map((b) => b.balancer.LoadBalancerName!), ...s.targetGroups.map((g) => g.group.TargetGroupName!)])
    expect(awsNames).toHaveLength(4)
    expect(new Set(awsNames).size).toBe(4)
    for (const n of awsNames) expect(n).toMatch(/^[a-z0-9](?!.*--)[a-z0-9-]{0,30}[a-z0-9]$/)
    states.forEach((s, i) => {
      expect(counts(s)).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })
      expect(s.balancers[0]!.tags['edge-ingress.io/service-name']).toBe(names[i])
    })
  })
})
