// Two replicas of `edge-ingress controller` (real CLI processes) on one Lease. The leader is
// busy retrying a throttled CreateLoadBalancer (AWS retries can take about a minute) when it
// loses its connection to the API server, and so its Lease: it must stop promptly, aborting
// the AWS call and its retries, make no AWS call after that, and stay up as a follower; the
// other replica takes over once the Lease expires and finishes the job, with no duplicate.
// An environment of its own: a controller process sees every Service of the cluster.
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEnvironment, type TestEnvironment } from '../../env/environment'
import { FaultProxy } from '../../env/fault-proxy'
import { freePort, loopback } from '../../env/ports'
import { eventually } from '../edge/support/eventually'
import { TcpForwarder } from '../support/tcp-forwarder'
import { clusterState, counts, serviceState } from './support/aws-state'
import { metricValue, startCliController, type CliController } from './support/cli-controller'
import { createService, hostnameOf, readService } from './support/services'
import { createWorld, type World } from './support/world'

let environment: TestEnvironment
let world: World
let proxy: FaultProxy
let forwarder: TcpForwarder
const running: CliController[] = []

const waitFor = <T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 60_000) => eventually(probe, ok, what, timeoutMs / 100, 100)
const election = (identity: string) => ({ namespace: world.namespace, name: 'edge-ingress-lost-lease', identity, leaseDuration: '3s' })
const awsCalls = (c: CliController) => metricValue(c.adminUrl, 'edge_ingress_aws_api_calls_total')
const readLease = async () => {
  const { spec } = await world.kube.coordination.readNamespacedLease({ name: 'edge-ingress-lost-lease', namespace: world.namespace })
  return { holderIdentity: spec?.holderIdentity, renewTime: new Date(spec!.renewTime!).getTime(), acquireTime: new Date(spec!.acquireTime!).getTime() }
}
const timeOf = (c: CliController, msg: string) => {
  const line = c.logLines().find((l) => l.msg === msg)
  return line ? Date.parse(line.time as string) : null
}

beforeAll(async () => {
  environment = await startEnvironment({ name: 'l4-lost-lease' })
  world = await createWorld(environment.info, { prefix: 'l4-lease', nodes: 1 })
  proxy = await FaultProxy.start(environment.info.motoUrl)
  const apiserver = new URL(environment.info.kubeApiServerUrl)
  forwarder = new TcpForwarder(await freePort(), { host: apiserver.hostname, port: Number(apiserver.port) })
  await forwarder.open()
})

afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()))
  await forwarder?.close()
  await proxy?.close()
  await environment?.stop()
})

describe('a leader that loses its Lease in the middle of AWS retries', () => {
  it('aborts the retries and stops its workers before the Lease can pass on; the other replica finishes the job', async () => {
    // The first replica reaches the API server through the forwarder, so that it alone can be cut off.
    const kubeconfig = join(environment.info.workDir, 'forwarded-kubeconfig')
    await writeFile(kubeconfig, readFileSync(environment.info.kubeconfigPath, 'utf8').replace(environment.info.kubeApiServerUrl, `https://${loopback}:${forwarder.port}`))
    const leader = await startCliController(environment.info, { cluster: world.cluster, awsEndpoint: proxy.url, leaderElection: election('first'), args: ['--kubeconfig', kubeconfig] })
    running.push(leader)
    await waitFor(() => metricValue(leader.adminUrl, 'edge_ingress_leader'), (v) => v === 1, 'the first replica to lead')
    const standby = await startCliController(environment.info, { cluster: world.cluster, awsEndpoint: proxy.url, leaderElection: election('second') })
    running.push(standby)

    proxy.throttle({ service: 'elbv2', action: 'CreateLoadBalancer', fraction: 1 })
    await createService(world.kube.core, world.namespace, 'stuck')
    await waitFor(async () => proxy.count({ outcome: 'throttled' }), (n) => n >= 3, 'the leader to be retrying a throttled CreateLoadBalancer')

    const cutAt = Date.now()
    await forwarder.close()
    // The leader's last renewal, from before the cut: the other replica may take over one lease duration after it.
    const lastRenewal = await readLease()
    await waitFor(async () => timeOf(leader, 'modules stopped'), (t) => t !== null, 'the leader to stop its modules', 20_000)
    const lostAt = timeOf(leader, 'leader election: lost the lease; stopping work')!
    const stoppedAt = timeOf(leader, 'modules stopped')!
    // Stopped within the renew deadline (2 s of a 3 s lease) plus a retry period, not after a minute of retries.
    expect(stoppedAt - cutAt).toBeLessThan(4_000)
    expect(stoppedAt - lostAt).toBeLessThan(500)
    expect(leader.logLines()).toContainEqual(expect.objectContaining({ msg: 'reconcile aborted', key: `${world.namespace}/stuck` }))
    expect(await metricValue(leader.adminUrl, 'edge_ingress_reconciles_total', { result: 'aborted' })).toBe(1)
    expect(await metricValue(leader.adminUrl, 'edge_ingress_leader')).toBe(0)

    // From then on the former leader makes no AWS call, and stays up (a follower waiting for its API server).
    const callsWhenStopped = await awsCalls(leader)
    await waitFor(() => metricValue(standby.adminUrl, 'edge_ingress_leader'), (v) => v === 1, 'the other replica to lead once the lease expired', 20_000)
    const takenOver = await readLease()
    expect(takenOver.holderIdentity).toBe('second')
    expect(takenOver.acquireTime - lastRenewal.renewTime).toBeGreaterThanOrEqual(3_000)
    await waitFor(async () => proxy.count({ outcome: 'throttled' }), (n) => n >= 3, 'the new leader to retry too')
    proxy.clearFaults()
    await waitFor(() => readService(world.kube.core, world.namespace, 'stuck'), (s) => !!hostnameOf(s), 'the new leader to provision the Service')
    expect(await awsCalls(leader)).toBe(callsWhenStopped)
    expect(leader.process.hasExited()).toBe(false)
    expect(counts(serviceState(await clusterState(world.aws.elbv2, world.cluster), world.namespace, 'stuck'))).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })
  })
})
