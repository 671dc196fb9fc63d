// The controller under adverse conditions, in a test environment of its own (exact call
// counts need a cluster with no other Services): 30% of AWS calls throttled, the steady
// state (a resync and a restart change nothing), and the real CLI process killed with
// SIGKILL at several points mid-change, then restarted: no duplicate, no leak.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEnvironment, type TestEnvironment } from '../../env/environment'
import { FaultProxy } from '../../env/fault-proxy'
import { setNodeReady } from '../../env/fixtures/nodes'
import { eventually } from '../edge/support/eventually'
import { clusterState, counts, serviceState, type ClusterState } from './support/aws-state'
import { startCliController, type CliController } from './support/cli-controller'
import { awsCallCounts, reconcileCount, startInProcessController, type InProcessController } from './support/in-process'
import { createService, deleteServicesAndWait, hostnameOf, readService } from './support/services'
import { createWorld, instanceIds, type World } from './support/world'

let environment: TestEnvironment
let world: World
let proxy: FaultProxy

const waitFor = <T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 60_000) => eventually(probe, ok, what, timeoutMs / 100, 100)
const state = () => clusterState(world.aws.elbv2, world.cluster)
const twoPorts = [
  { name: 'http', port: 80, protocol: 'TCP' },
  { name: 'https', port: 443, protocol: 'TCP' },
]
const allProvisioned = (names: string[]) =>
  waitFor(
    () => Promise.all(names.map((n) => readService(world.kube.core, world.namespace, n))),
    (services) => services.every((s) => !!hostnameOf(s)),
    `${names.join(', ')} provisioned`,
  )

/** Every Service has exactly one balancer, a target group and a listener per port, all nodes registered; nothing else is tagged for the cluster. */
function expectExactlyServed(s: ClusterState, names: string[]): void {
  for (const name of names) {
    const mine = serviceState(s, world.namespace, name)
    expect(counts(mine), name).toEqual({ balancers: 1, targetGroups: 2, listeners: 2 })
    const attached = new Set(mine.balancers[0]!.listeners.map((l) => l.DefaultActions?.[0]?.TargetGroupArn))
    expect(mine.targetGroups.every((g) => attached.has(g.group.TargetGroupArn)), `${name}: every target group behind a listener`).toBe(true)
    expect(mine.targetGroups.map((g) => g.targets.map((t) => t.id))).toEqual([instanceIds(world.nodes), instanceIds(world.nodes)])
  }
  expect(counts(s)).toEqual({ balancers: names.length, targetGroups: 2 * names.length, listeners: 2 * names.length })
}

beforeAll(async () => {
  environment = await startEnvironment({ name: 'l4-resilience' })
  world = await createWorld(environment.info, { prefix: 'l4-res', nodes: 3 })
  proxy = await FaultProxy.start(environment.info.motoUrl, { seed: 7 })
})

afterAll(async () => {
  await proxy?.close()
  await environment?.stop()
})

describe('in process, through the fault proxy', () => {
  let controller: InProcessController
  const names = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot']

  afterAll(async () => {
    await controller?.stop()
  })

  it('converges with 30% of ELBv2 and EC2 calls throttled: every Service served once, throttled calls retried and counted', async () => {
    proxy.throttle({ service: 'elbv2', fraction: 0.3 })
    proxy.throttle({ service: 'ec2', fraction: 0.3 })
    controller = startInProcessController(environment.info, { cluster: world.cluster, awsEndpoint: proxy.url })
    await controller.started
    for (const name of names) await createService(world.kube.core, world.namespace, name, { ports: twoPorts })
    await allProvisioned(names)
    proxy.clearFaults()
    expectExactlyServed(await state(), names)
    const throttled = proxy.count({ outcome: 'throttled' })
    expect(throttled / proxy.count()).toBeGreaterThan(0.2)
    const counted = Object.values(await awsCallCounts(controller.metrics, 'throttled')).reduce((a, b) => a + b, 0)
    expect(counted).toBe(throttled)
  })

  it('a resync after convergence makes no mutating call and reads within the budget (2 per Service port + ceil(N/20) + 1 discovery calls)', async () => {
    proxy.resetCalls()
    const before = await reconcileCount(controller.metrics)
    await controller.module.resync()
    await waitFor(() => reconcileCount(controller.metrics), (n) => n >= before + names.length, 'a reconcile of every Service')
    expect(proxy.countsByAction({ mutating: true })).toEqual({})
    const ports = names.length * twoPorts.length
    expect(proxy.count({ mutating: false })).toBeLessThanOrEqual(2 * ports + Math.ceil(names.length / 20) + 1)
  })

  it('a node update that does not change targets (a kubelet heartbeat) queues nothing', async () => {
    const seen = controller.logs.length
    const nodeChanges = () => controller.logs.slice(seen).filter((l) => l.msg === 'node change may move targets').map((l) => l.node)
    const [first, second] = world.nodes
    await setNodeReady(world.kube.core, first!.name, true)
    // A change that does matter, after it on the same watch, proves the heartbeat was seen and ignored.
    await setNodeReady(world.kube.core, second!.name, false)
    await waitFor(state, (s) => s.targetGroups.every((g) => g.targets.length === 2), 'the NotReady node deregistered')
    await setNodeReady(world.kube.core, second!.name, true)
    await waitFor(state, (s) => s.targetGroups.every((g) => g.targets.length === 3), 'the node registered again')
    expect(nodeChanges()).toEqual([second!.name, second!.name])
  })

  it('a restart after convergence makes no mutating call', async () => {
    await controller.stop()
    proxy.resetCalls()
    controller = startInProcessController(environment.info, { cluster: world.cluster, awsEndpoint: proxy.url })
    await controller.started
    await waitFor(() => reconcileCount(controller.metrics), (n) => n >= names.length, 'a reconcile of every Service')
    expect(proxy.countsByAction({ mutating: true })).toEqual({})
    expectExactlyServed(await state(), names)
    await deleteServicesAndWait(world.kube.core, world.namespace)
    expect(counts(await state())).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
  })
})

describe('the CLI process killed with SIGKILL mid-change, then started again', () => {
  let controller: CliController | undefined
  const served: string[] = []

  afterAll(async () => {
    await controller?.stop()
  })

  const points = ['CreateLoadBalancer', 'CreateTargetGroup', 'RegisterTargets', 'CreateListener', 'AddTags'] as const
  for (const action of points) {
    it(`killed right after AWS performed ${action}: the next process finishes the job with no duplicate and no leak`, async () => {
      controller ??= await startCliController(environment.info, { cluster: world.cluster, awsEndpoint: proxy.url })
      proxy.resetCalls()
      proxy.failNth({ action, nth: 1, when: 'hang' })
      const name = `killed-at-${action.toLowerCase()}`
      await createService(world.kube.core, world.namespace, name, { ports: twoPorts })
      await waitFor(async () => proxy.count({ outcome: 'hung' }), (n) => n === 1, `${action} to be performed and held`)
      await controller.kill()
      proxy.clearFaults()
      controller = await startCliController(environment.info, { cluster: world.cluster, awsEndpoint: proxy.url })
      served.push(name)
      await allProvisioned(served)
      expectExactlyServed(await state(), served)
    })
  }

  it('killed right after AWS deleted the balancer of a deleted Service: the next process deletes the rest and removes the finalizer', async () => {
    controller ??= await startCliController(environment.info, { cluster: world.cluster, awsEndpoint: proxy.url })
    proxy.resetCalls()
    proxy.failNth({ action: 'DeleteLoadBalancer', nth: 1, when: 'hang' })
    const name = served.pop()!
    await world.kube.core.deleteNamespacedService({ namespace: world.namespace, name })
    await waitFor(async () => proxy.count({ outcome: 'hung' }), (n) => n === 1, 'DeleteLoadBalancer to be performed and held')
    await controller.kill()
    proxy.clearFaults()
    expect(counts(serviceState(await state(), world.namespace, name))).toEqual({ balancers: 0, targetGroups: 2, listeners: 0 })
    controller = await startCliController(environment.info, { cluster: world.cluster, awsEndpoint: proxy.url })
    await waitFor(() => readService(world.kube.core, world.namespace, name), (s) => s === null, `${name} to be gone`)
    expectExactlyServed(await state(), served)
  })
})
