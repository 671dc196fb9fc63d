// Propagation delay (issue 4): from an HTTPRoute change written to the apiserver to the first
// request the edge serves with it, over loopback: a private kube-apiserver + etcd, the real
// `edge-ingress controller` (L7 half, publishing over HTTP) and `edge-ingress serve --source
// http://...` (long-poll), as child processes. 100 changes (the `probe` route's backend flips
// between two echo servers) at 100 and 5,000 routes (ten per host); p50 and p99. Baseline in
// the same run: the latency of the PATCH that makes the change. Also compile + publish of
// 5,000 routes in process (lib/compile-publish.ts). Goals: p99 < 1 s with the HTTP source;
// compile + publish of 5,000 routes < 200 ms.
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { createKubeClients, type KubeClients } from '../env/clients'
import { startEnvironment } from '../env/environment'
import { installGatewayApiCrds } from '../env/fixtures/gateway-api'
import { createTestNamespace, uniqueName } from '../env/fixtures/names'
import { startEchoServer, type EchoServer } from '../integration/edge/support/echo-server'
import { apply, installClasses } from '../integration/routes/support/objects'
import { startController, startNodeEdge, workDir } from '../e2e/routes/support/cli'
import type { CompilePublishResult } from './lib/compile-publish'
import { runWorker } from './lib/run-worker'
import { backendService, BENCH_HOST_SUFFIX, fillerRoutes, gatewayObject, PROBE_HOST, probeRoute } from './lib/route-objects'
import { median, percentile } from './lib/stats'
import type { BenchContext, BenchResult } from './lib/types'

/** Between probe requests: fine enough to time propagation, light enough not to load the edge it measures. */
const PROBE_INTERVAL_MS = 5
const compileWorker = fileURLToPath(new URL('./lib/compile-publish-worker.ts', import.meta.url))

interface SizeResult {
  routes: number
  delays: number[]
  patches: number[]
}

export default async function propagationBench(ctx: BenchContext): Promise<BenchResult> {
  const changes = ctx.quick ? 20 : 100
  const sizes = ctx.quick ? [100, 1_000] : [100, 5_000]
  const metrics: Record<string, number | string> = {}
  const rows: SizeResult[] = []
  for (const size of sizes) {
    const row = await measurePropagation(ctx, size, changes)
    rows.push(row)
    const label = `${size} routes`
    metrics[`propagation p50 ms at ${label}`] = round(median(row.delays))
    metrics[`propagation p99 ms at ${label}`] = round(percentile(row.delays, 99))
    metrics[`propagation max ms at ${label}`] = round(Math.max(...row.delays))
    metrics[`PATCH p50 ms at ${label} (baseline)`] = round(median(row.patches))
    metrics[`ratio propagation p50 / PATCH p50 at ${label}`] = round(median(row.delays) / median(row.patches))
    ctx.log(`${label}: p50 ${round(median(row.delays))} ms, p99 ${round(percentile(row.delays, 99))} ms, PATCH p50 ${round(median(row.patches))} ms`)
  }
  const compileRoutes = ctx.quick ? 1_000 : 5_000
  const cp = await runWorker<CompilePublishResult>(compileWorker, [compileRoutes, ctx.quick ? 10 : 40])
  metrics[`compile + publish ms of ${cp.routes} routes, one object changed (median)`] = round(cp.warmMs)
  metrics[`compile + publish ms of ${cp.routes} routes, every object new (median)`] = round(cp.coldMs)
  metrics[`JSON.stringify ms of that table (baseline, median)`] = round(cp.stringifyMs)
  metrics[`ratio compile + publish / stringify`] = round(cp.warmMs / cp.stringifyMs)
  ctx.log(`compile + publish of ${cp.routes} routes: ${round(cp.warmMs)} ms (every object new: ${round(cp.coldMs)} ms; stringify ${round(cp.stringifyMs)} ms)`)

  const largest = rows[rows.length - 1]!
  const p99 = percentile(largest.delays, 99)
  return {
    name: 'propagation',
    method:
      `A private kube-apiserver + etcd on loopback; \`edge-ingress controller --no-load-balancers --publish http\` and \`edge-ingress serve --source <its /v1/route-table>\` (long-poll) as child processes; ` +
      `HTTPRoutes of ten path rules per host to Services whose balancer address is a local echo server. For each of ${changes} changes the \`probe\` route's backend is flipped by a merge PATCH, ` +
      `then the edge is polled (a request every ${PROBE_INTERVAL_MS} ms) until a response comes from the new backend; delay = PATCH start to that response. ` +
      `Baseline: the PATCH latency in the same run. Compile + publish: in process, compileRoutes over the cached objects (one HTTPRoute changed, validation memoised as in the controller) ` +
      `plus the Publisher into the HTTP endpoint, in a fresh process, median of ${ctx.quick ? 10 : 40} after a warm-up; baseline JSON.stringify of the same table.`,
    metrics,
    goals: [
      { description: `propagation p99 under 1 s with the HTTP source at ${largest.routes} routes (measured ${round(p99)} ms)`, met: p99 < 1_000 },
      { description: `compile + publish of ${cp.routes} routes under 200 ms (measured ${round(cp.warmMs)} ms with one object changed; ${round(cp.coldMs)} ms with every object new)`, met: cp.warmMs < 200 },
    ],
  }
}

async function measurePropagation(ctx: BenchContext, routes: number, changes: number): Promise<SizeResult> {
  const environment = await startEnvironment({ name: 'bench-propagation' })
  const echo: EchoServer[] = []
  const stops: (() => Promise<void>)[] = []
  try {
    const env = environment.info
    const kube = createKubeClients(env)
    await installGatewayApiCrds(kube.kubeConfig)
    await installClasses(kube)
    const ns = await createTestNamespace(kube.core, 'bench')
    const blue = await startEchoServer('blue')
    const green = await startEchoServer('green')
    echo.push(blue, green)
    const backends = [{ name: 'blue', port: blue.port }, { name: 'green', port: green.port }]
    for (const b of backends) {
      const { status, ...service } = backendService(ns, b.name, b.port)
      await apply(kube, service)
      await kube.core.patchNamespacedServiceStatus({ namespace: ns, name: b.name, body: { status } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch))
    }
    await apply(kube, gatewayObject(ns), probeRoute(ns, backends[0]!))
    const fillers = fillerRoutes(ns, routes - 1, backends[0]!)
    await createAll(kube, fillers)
    ctx.log(`${routes} routes: ${fillers.length + 1} HTTPRoutes created`)

    const dir = await workDir()
    const controller = await startController(env, dir, { cluster: uniqueName('bench'), extraArgs: ['--no-load-balancers'] })
    stops.push(() => controller.stop())
    const edge = await startNodeEdge(dir, 'bench', ['--source', controller.routeTableUrl])
    stops.push(() => edge.stop())
    const lastHost = `h${fillers.length - 1}.${BENCH_HOST_SUFFIX}`
    await waitFor(async () => (await get(edge.url, lastHost, '/p9')).status === 200 && (await get(edge.url, PROBE_HOST)).servedBy === 'blue', 120_000)
    // Let the first status writes (one per HTTPRoute) finish before measuring.
    await waitFor(async () => (await statusWrites(controller.metricsUrl)) >= fillers.length + 1, 120_000)

    const delays: number[] = []
    const patches: number[] = []
    for (let i = 0; i < changes; i++) {
      const target = backends[(i + 1) % 2]!
      const started = performance.now()
      await kube.customObjects.patchNamespacedCustomObject(
        { group: 'gateway.networking.k8s.io', version: 'v1', namespace: ns, plural: 'httproutes', name: 'probe', body: { spec: { rules: [{ backendRefs: [target] }] } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      patches.push(performance.now() - started)
      await waitFor(async () => (await get(edge.url, PROBE_HOST)).servedBy === target.name, 30_000, PROBE_INTERVAL_MS)
      delays.push(performance.now() - started)
    }
    return { routes, delays, patches }
  } finally {
    for (const stop of stops.reverse()) await stop()
    for (const server of echo) await server.close()
    await environment.stop()
  }
}

/** Creates objects a few at a time (the apiserver and the machine are shared with the rest). */
async function createAll(kube: KubeClients, objects: object[]): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < objects.length) await apply(kube, objects[next++]!)
  }
  await Promise.all(Array.from({ length: 8 }, worker))
}

async function get(edgeUrl: string, host: string, path = '/'): Promise<{ status: number; servedBy: string | null }> {
  const res = await request(`${edgeUrl}${path}`, { headers: { host } })
  await res.body.dump()
  return { status: res.statusCode, servedBy: (res.headers['x-served-by'] as string | undefined) ?? null }
}

async function statusWrites(metricsUrl: string): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text()
  let total = 0
  for (const m of text.matchAll(/^edge_ingress_route_status_writes_total\{[^}]*kind="HTTPRoute"[^}]*result="written"[^}]*\} (\d+)/gm)) total += Number(m[1])
  return total
}

/** Polls (each probe is a real request) every `intervalMs` until `ok`, or fails after `timeoutMs`. */
async function waitFor(ok: () => Promise<boolean>, timeoutMs: number, intervalMs = 0): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    if (await ok().catch(() => false)) return
    await new Promise((r) => (intervalMs > 0 ? setTimeout(r, intervalMs) : setImmediate(r)))
  }
  throw new Error(`not reached within ${timeoutMs} ms`)
}

const round = (n: number) => Math.round(n * 10) / 10
