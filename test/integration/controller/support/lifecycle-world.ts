// The setup the Service-lifecycle test files share: a world of 3 nodes (subnets tagged for
// internal balancers too), the fault proxy in front of moto (it counts every AWS call and
// injects failures) and the real controller in process. Each file gets its own.
import { afterAll, beforeAll, beforeEach } from 'vitest'
import type { EnvironmentInfo } from '../../../env/environment'
import { FaultProxy } from '../../../env/fault-proxy'
import { eventually } from '../../edge/support/eventually'
import { clusterState, serviceState } from './aws-state'
import { startInProcessController, type InProcessController } from './in-process'
import { deleteServicesAndWait, patchService, readService, readyCondition } from './services'
import { createWorld, type World } from './world'

export interface LifecycleWorld {
  world: World
  proxy: FaultProxy
  controller: InProcessController
}

/** Registers the file's hooks; the fields are set once beforeAll has run. */
export function useLifecycleWorld(env: EnvironmentInfo, prefix: string): LifecycleWorld {
  const t = {} as LifecycleWorld
  beforeAll(async () => {
    t.world = await createWorld(env, { prefix, nodes: 3, internalSubnets: true })
    t.proxy = await FaultProxy.start(env.motoUrl)
    t.controller = startInProcessController(env, { cluster: t.world.cluster, awsEndpoint: t.proxy.url })
    await t.controller.started
  })
  afterAll(async () => {
    // Services of our class left in the shared cluster would be adopted by every later controller.
    if (t.controller && t.world) await deleteServicesAndWait(t.world.kube.core, t.world.namespace)
    await t.controller?.stop()
    await t.proxy?.close()
    await t.world?.dispose()
  })
  beforeEach(() => {
    t.proxy.clearFaults()
    t.proxy.resetCalls()
  })
  return t
}

export const waitFor = <T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string) => eventually(probe, ok, what, 600, 50)

/** What a world's tests read and change, by Service name. */
export function serviceHelpers(t: LifecycleWorld) {
  const read = (name: string) => readService(t.world.kube.core, t.world.namespace, name)
  return {
    read,
    stateOf: async (name: string) => serviceState(await clusterState(t.world.aws.elbv2, t.world.cluster), t.world.namespace, name),
    patch: (name: string, body: object) => patchService(t.world.kube.core, t.world.namespace, name, body),
    mutatingCalls: () => t.proxy.countsByAction({ mutating: true }),
    /**
     * Waits for the LoadBalancerReady condition. Services carry no metadata.generation, so the
     * condition cannot say which spec it describes: tests that change a Service wait for the
     * AWS state they expect as well.
     */
    reported: (name: string, status: 'True' | 'False', reason?: string) =>
      waitFor(
        () => read(name),
        (s) => readyCondition(s)?.status === status && (reason === undefined || readyCondition(s)?.reason === reason),
        `${name}: LoadBalancerReady=${status}${reason ? ` (${reason})` : ''}`,
      ).then((s) => s!),
  }
}
