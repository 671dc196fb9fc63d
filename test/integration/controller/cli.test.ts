// `edge-ingress controller` as users run it: a child process started from the real CLI
// entry, against a test environment of its own (a controller process sees every Service
// of the cluster). Provisioning, /metrics, /healthz and /readyz, --dry-run, start-up
// errors, and leader election between replicas with failover.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEnvironment, type TestEnvironment } from '../../env/environment'
import { FaultProxy } from '../../env/fault-proxy'
import { eventually } from '../edge/support/eventually'
import { clusterState, counts, serviceState } from './support/aws-state'
import { metricValue, startCliController, type CliController } from './support/cli-controller'
import { createService, FINALIZER, hostnameOf, patchService, readService, serviceEvents } from './support/services'
import { createWorld, type World } from './support/world'

let environment: TestEnvironment
let world: World
let proxy: FaultProxy
const running: CliController[] = []

const waitFor = <T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 60_000) => eventually(probe, ok, what, timeoutMs / 100, 100)
const read = (name: string) => readService(world.kube.core, world.namespace, name)
const stateOf = async (name: string) => serviceState(await clusterState(world.aws.elbv2, world.cluster), world.namespace, name)
const provisioned = (name: string) => waitFor(() => read(name), (s) => !!hostnameOf(s), `${name} provisioned`)
const start = async (options: Omit<Parameters<typeof startCliController>[1], 'cluster'> = {}) => {
  const controller = await startCliController(environment.info, { cluster: world.cluster, awsEndpoint: proxy.url, ...options })
  running.push(controller)
  return controller
}
const get = async (url: string) => {
  const response = await fetch(url)
  return { status: response.status, body: (await response.json()) as unknown }
}

beforeAll(async () => {
  environment = await startEnvironment({ name: 'l4-cli' })
  world = await createWorld(environment.info, { prefix: 'l4-cli', nodes: 2 })
  proxy = await FaultProxy.start(environment.info.motoUrl)
})

afterAll(async () => {
  await Promise.all(running.map((c) => c.stop()))
  await proxy?.close()
  await environment?.stop()
})

describe('edge-ingress controller', () => {
  it('provisions a Service, answers /healthz and /readyz, and counts every AWS call in /metrics', async () => {
    const controller = await start()
    await waitFor(() => get(`${controller.adminUrl}/readyz`), (r) => r.status === 200, '/readyz 200')
    expect(await get(`${controller.adminUrl}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } })
    await createService(world.kube.core, world.namespace, 'web')
    await provisioned('web')
    expect(counts(await stateOf('web'))).toEqual({ balancers: 1, targetGroups: 1, listeners: 1 })

    // Every request the proxy saw is one counted attempt in the controller's own metrics, per action.
    for (const [key, seen] of Object.entries(proxy.countsByAction())) {
      const [service, action] = key.split(':') as [string, string]
      expect(await metricValue(controller.adminUrl, 'edge_ingress_aws_api_calls_total', { service, action }), key).toBe(seen)
    }
    expect(await metricValue(controller.adminUrl, 'edge_ingress_aws_api_calls_total', { action: 'CreateLoadBalancer', outcome: 'success' })).toBe(1)
    // Looking up a name that does not exist yet is an answer, not an error.
    expect(await metricValue(controller.adminUrl, 'edge_ingress_aws_api_calls_total', { action: 'DescribeLoadBalancers', outcome: 'not-found' })).toBe(1)
    expect(await metricValue(controller.adminUrl, 'edge_ingress_aws_api_calls_total', { outcome: 'error' })).toBe(0)
    expect(await metricValue(controller.adminUrl, 'edge_ingress_load_balancers', { state: 'managed' })).toBe(1)
    expect(await metricValue(controller.adminUrl, 'edge_ingress_reconciles_total', { controller: 'load-balancer', result: 'success' })).toBeGreaterThan(0)
    expect(await metricValue(controller.adminUrl, 'edge_ingress_leader')).toBe(0)
    expect((await fetch(`${controller.adminUrl}/nothing`)).status).toBe(404)
    await controller.stop()
    expect(controller.process.hasExited()).toBe(true)
    expect(controller.logLines().at(-1)?.msg).toBe('controller stopped')
  })

  it('with --dry-run logs the plan per Service and changes nothing: no AWS write, no finalizer, no status, no Event', async () => {
    await patchService(world.kube.core, world.namespace, 'web', { spec: { ports: [{ name: 'http', port: 8080, protocol: 'TCP', targetPort: 80 }] } })
    await createService(world.kube.core, world.namespace, 'draft')
    proxy.resetCalls()
    const controller = await start({ args: ['--dry-run'] })
    const plans = await waitFor(
      async () => controller.logLines().filter((l) => l.dryRun === true),
      (lines) => lines.some((l) => l.service === `${world.namespace}/draft`) && lines.some((l) => l.service === `${world.namespace}/web`),
      'a dry-run plan for each Service',
    )
    const planOf = (name: string) => plans.find((l) => l.service === `${world.namespace}/${name}`) as { msg: string; actions: string[] }
    expect(planOf('draft').msg).toBe('dry run: would change AWS')
    expect(planOf('draft').actions).toEqual(expect.arrayContaining([expect.stringMatching(/^create load balancer ei-/), expect.stringMatching(/^create listener TCP :80 /)]))
    expect(planOf('web').actions).toEqual(['delete listener :80', expect.stringMatching(/^create listener TCP :8080 -> /)])
    await controller.stop()
    expect(proxy.count({ mutating: true })).toBe(0)
    expect(counts(await stateOf('draft'))).toEqual({ balancers: 0, targetGroups: 0, listeners: 0 })
    expect((await stateOf('web')).balancers[0]!.listeners.map((l) => l.Port)).toEqual([80])
    const draft = await read('draft')
    expect(draft?.metadata?.finalizers ?? []).not.toContain(FINALIZER)
    expect(draft?.status?.loadBalancer?.ingress ?? []).toEqual([])
    expect(await serviceEvents(world.kube.events, world.namespace, 'draft')).toEqual([])
  })

  it('stays up while the API server is unreachable: /healthz 200, /readyz 503 naming the caches', async () => {
    const unreachable = join(environment.info.workDir, 'unreachable-kubeconfig')
    await writeFile(unreachable, readFileSync(environment.info.kubeconfigPath, 'utf8').replace(environment.info.kubeApiServerUrl, 'https://127.0.0.1:9'))
    const stuck = await start({ args: ['--kubeconfig', unreachable] })
    const ready = await waitFor(() => get(`${stuck.adminUrl}/readyz`), (r) => r.status === 503, '/readyz 503')
    expect(ready.body).toEqual({ status: 'failing', checks: { caches: 'caches not synced: /api/v1/services, /api/v1/nodes' } })
    expect((await get(`${stuck.adminUrl}/healthz`)).status).toBe(200)
    await stuck.stop()
    expect(stuck.process.hasExited()).toBe(true)
  })

  it('refuses to start on a missing cluster name, a bad flag or a missing kubeconfig, with a one-line error and exit code 2', () => {
    const cli = join(import.meta.dirname, '../../../controller/bin/edge-ingress.js')
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cli, 'controller', '--region', 'us-east-1', '--metrics-address', '127.0.0.1:0', ...args], {
        encoding: 'utf8',
        env: { ...process.env, CLUSTER_NAME: '' },
      })
    const kubeconfig = ['--kubeconfig', environment.info.kubeconfigPath]
    const missing = run(...kubeconfig)
    expect(missing.status).toBe(2)
    expect(missing.stderr).toMatch(/^edge-ingress: --cluster-name is required/)
    const badDuration = run(...kubeconfig, '--cluster-name', 'x', '--resync-period', 'soon')
    expect(badDuration.status).toBe(2)
    expect(badDuration.stderr).toBe('edge-ingress: --resync-period: "soon" is not a duration (e.g. 500ms, 90s, 5m, 1h)\n')
    const noFile = run('--kubeconfig', '/nonexistent/kubeconfig', '--cluster-name', 'x')
    expect(noFile.status).toBe(2)
    expect(noFile.stderr).toBe('edge-ingress: --kubeconfig /nonexistent/kubeconfig: no such file\n')
  })
})

describe('leader election', () => {
  const lease = () => world.kube.coordination.readNamespacedLease({ namespace: world.namespace, name: 'edge-ingress-l4-test' })
  const replica = (identity: string) => start({ leaderElection: { namespace: world.namespace, name: 'edge-ingress-l4-test', identity, leaseDuration: '3s' } })
  const leaderOf = async (replicas: CliController[]) => {
    const flags = await Promise.all(replicas.map((r) => metricValue(r.adminUrl, 'edge_ingress_leader')))
    return flags.filter((f) => f === 1).length === 1 ? replicas[flags.indexOf(1)] : undefined
  }
  const awsCalls = (r: CliController) => metricValue(r.adminUrl, 'edge_ingress_aws_api_calls_total')

  it('two replicas: exactly one leads and works, the other makes no AWS call; when the leader stops the other takes over', async () => {
    const a = await replica('replica-a')
    const b = await replica('replica-b')
    const leader = await waitFor(() => leaderOf([a, b]), Boolean, 'one leader')
    const follower = leader === a ? b : a
    expect((await lease()).spec?.holderIdentity).toBe(leader === a ? 'replica-a' : 'replica-b')

    await createService(world.kube.core, world.namespace, 'led')
    await provisioned('led')
    // The leader also converges what the dry run only planned.
    await waitFor(() => stateOf('web'), (s) => s.balancers[0]?.listeners.map((l) => l.Port).join() === '8080', 'web moved to 8080')
    await provisioned('draft')
    expect(await awsCalls(follower!)).toBe(0)
    expect(await awsCalls(leader!)).toBeGreaterThan(0)

    // A graceful stop hands the lease back: the follower need not wait for it to expire.
    proxy.resetCalls()
    await leader!.stop()
    await waitFor(() => metricValue(follower!.adminUrl, 'edge_ingress_leader'), (v) => v === 1, 'the follower to lead', 5_000)
    expect((await lease()).spec?.holderIdentity).toBe(follower === a ? 'replica-a' : 'replica-b')
    // Taking over three converged Services reads them and changes nothing.
    await waitFor(() => metricValue(follower!.adminUrl, 'edge_ingress_reconciles_total', { result: 'success' }), (n) => n >= 3, 'the new leader to reconcile every Service')
    expect(proxy.countsByAction({ mutating: true })).toEqual({})
    await createService(world.kube.core, world.namespace, 'after-failover')
    await provisioned('after-failover')
  })

  it('a leader killed with SIGKILL is replaced once its lease expires', async () => {
    const current = running.filter((r) => !r.process.hasExited())
    const leader = await waitFor(() => leaderOf(current), Boolean, 'one leader')
    const standby = await replica('replica-c')
    await leader!.kill()
    const killedAt = Date.now()
    await waitFor(() => metricValue(standby.adminUrl, 'edge_ingress_leader'), (v) => v === 1, 'the standby to lead after the lease expired')
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(2_000)
    expect((await lease()).spec?.holderIdentity).toBe('replica-c')
    await createService(world.kube.core, world.namespace, 'after-kill')
    await provisioned('after-kill')
  })
})
