// One size of the l4-controller benchmark: a private environment, N Services, the real
// controller in process behind the fault proxy; convergence time and the calls of three
// phases (creation, a resync, a restart), counted by the proxy.
import { DescribeListenersCommand, DescribeLoadBalancersCommand, DescribeTargetGroupsCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { startEnvironment } from '../../env/environment'
import { FaultProxy } from '../../env/fault-proxy'
import { eventually } from '../../integration/edge/support/eventually'
import { pages } from '../../integration/controller/support/aws-state'
import { reconcileCount, startInProcessController, type InProcessController } from '../../integration/controller/support/in-process'
import { loadBalancerService } from '../../integration/controller/support/services'
import { createWorld, type World } from '../../integration/controller/support/world'
import type { Baseline } from './l4-baseline'
import type { BenchContext } from './types'

export interface PhaseCalls {
  elbv2Mutating: number
  elbv2Reads: number
  ec2: number
  byAction: Record<string, number>
}

export interface SizeResult {
  services: number
  convergeMs: number
  calls: { creation: PhaseCalls; resync: PhaseCalls & { reconciles: number }; restart: PhaseCalls & { reconciles: number } }
  inMoto: { balancers: number; targetGroups: number; listeners: number }
  baseline: Baseline | null
}

const CREATE_CONCURRENCY = 20

export async function measureSize(ctx: BenchContext, n: number, baseline: ((world: World) => Promise<Baseline>) | null): Promise<SizeResult> {
  const environment = await startEnvironment({ name: `bench-l4-${n}` })
  let proxy: FaultProxy | null = null
  let controller: InProcessController | null = null
  try {
    const world = await createWorld(environment.info, { prefix: 'bench-l4', nodes: 3 })
    const measuredBaseline = baseline ? await baseline(world) : null
    proxy = await FaultProxy.start(environment.info.motoUrl)
    const start = async () => {
      const c = startInProcessController(environment.info, { cluster: world.cluster, awsEndpoint: proxy!.url })
      await c.started
      return c
    }
    controller = await start()
    proxy.resetCalls()

    const names = Array.from({ length: n }, (_, i) => `svc-${String(i).padStart(4, '0')}`)
    const started = performance.now()
    for (let i = 0; i < n; i += CREATE_CONCURRENCY) {
      await Promise.all(names.slice(i, i + CREATE_CONCURRENCY).map((name) => world.kube.core.createNamespacedService({ namespace: world.namespace, body: loadBalancerService(world.namespace, name) })))
    }
    await eventually(() => provisionedCount(world), (count) => count === n, `${n} statuses`, 4 * 600, 250)
    const convergeMs = performance.now() - started
    ctx.log(`N=${n}: converged in ${Math.round(convergeMs)} ms`)
    // Reconciles the status and finalizer writes triggered belong to creation too.
    await settled(controller)
    const creation = phase(proxy)

    proxy.resetCalls()
    const beforeResync = await reconcileCount(controller.metrics)
    await controller.module.resync()
    await settled(controller)
    const resync = { ...phase(proxy), reconciles: (await reconcileCount(controller.metrics)) - beforeResync }

    await controller.stop()
    proxy.resetCalls()
    controller = await start()
    await settled(controller)
    const restart = { ...phase(proxy), reconciles: await reconcileCount(controller.metrics) }
    ctx.log(`N=${n}: resync ${resync.elbv2Reads} reads / ${resync.elbv2Mutating} writes; restart ${restart.elbv2Reads} reads / ${restart.elbv2Mutating} writes`)

    return { services: n, convergeMs, calls: { creation, resync, restart }, inMoto: await countInMoto(world.aws.elbv2), baseline: measuredBaseline }
  } finally {
    await controller?.stop()
    await proxy?.close()
    await environment.stop()
  }
}

async function provisionedCount(world: World): Promise<number> {
  const { items } = await world.kube.core.listNamespacedService({ namespace: world.namespace })
  return items.filter((s) => s.status?.loadBalancer?.ingress?.[0]?.hostname).length
}

/** Waits until no Service is queued, in progress or waiting for a retry. */
const settled = (controller: InProcessController) => eventually(async () => controller.module.idle, Boolean, 'the work queue to settle', 4 * 600, 100)

function phase(proxy: FaultProxy): PhaseCalls {
  return {
    elbv2Mutating: proxy.count({ service: 'elbv2', mutating: true }),
    elbv2Reads: proxy.count({ service: 'elbv2', mutating: false }),
    ec2: proxy.count({ service: 'ec2' }),
    byAction: proxy.countsByAction(),
  }
}

/** What the controller left in moto (the baseline's resources were deleted before it started). */
async function countInMoto(elbv2: ElasticLoadBalancingV2Client): Promise<SizeResult['inMoto']> {
  const balancers = await pages((Marker) => elbv2.send(new DescribeLoadBalancersCommand({ Marker, PageSize: 400 })).then((r) => [r.LoadBalancers ?? [], r.NextMarker] as const))
  const groups = await pages((Marker) => elbv2.send(new DescribeTargetGroupsCommand({ Marker, PageSize: 400 })).then((r) => [r.TargetGroups ?? [], r.NextMarker] as const))
  let listeners = 0
  for (const b of balancers) listeners += (await elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: b.LoadBalancerArn }))).Listeners?.length ?? 0
  return { balancers: balancers.length, targetGroups: groups.length, listeners }
}
