// Compile + publish of a table in process, as the route module does it on each change: the
// objects as the caches hold them (with apiVersion/kind, validated once per object), one
// HTTPRoute changed, compileRoutes, then the Publisher into the HTTP endpoint. Baseline in the
// same run: JSON.stringify of the resulting table (the least any publish costs).
import { RouteTableEndpoint } from '../../../controller/src/adapters/http/route-table-endpoint'
import { silentLogger } from '../../../controller/src/observability/logger'
import { compileRoutes } from '../../../controller/src/routes/compile'
import { Publisher } from '../../../controller/src/routes/controller/publisher'
import { median } from './stats'
import { backendService, fillerRoutes, gatewayObject, probeRoute } from './route-objects'

export interface CompilePublishResult {
  routes: number
  warmMs: number
  coldMs: number
  stringifyMs: number
}

const classes = [
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'edge-ingress', generation: 1 }, spec: { controllerName: 'edge-ingress.io/gateway-controller' } },
]

export async function measureCompilePublish(routes: number, runs: number): Promise<CompilePublishResult> {
  const ns = 'bench'
  let stamp = 0
  const meta = (o: { metadata: object }) => ({ ...o, metadata: { ...o.metadata, uid: `uid-${stamp++}`, resourceVersion: String(stamp), generation: 1, creationTimestamp: '2026-01-01T00:00:00Z' } })
  const fresh = () => [
    ...classes.map(meta),
    meta(gatewayObject(ns)),
    meta(backendService(ns, 'blue', 8080)),
    meta(backendService(ns, 'green', 8081)),
    ...fillerRoutes(ns, routes - 1, { name: 'blue', port: 8080 }).map(meta),
  ]
  const endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
  const publisher = new Publisher(silentLogger(), { published: () => {} })
  try {
    const objects = fresh()
    const cycle = async (all: unknown[], n: number) => {
      const started = performance.now()
      const result = await compileRoutes(all, { clusterName: 'bench' })
      await publisher.publish(result.table, [endpoint])
      const ms = performance.now() - started
      const s = performance.now()
      JSON.stringify(result.table)
      return { ms, stringifyMs: performance.now() - s, routes: result.table.hosts.reduce((k, h) => k + h.routes.length, 0), n }
    }
    const cold: number[] = []
    for (let i = 0; i < Math.max(3, Math.floor(runs / 4)); i++) cold.push((await cycle(fresh().concat(meta(probeRoute(ns, { name: 'blue', port: 8080 }))), i)).ms)
    await cycle([...objects, meta(probeRoute(ns, { name: 'blue', port: 8080 }))], -1) // validation memo warm
    const warm: number[] = []
    const stringify: number[] = []
    let count = 0
    for (let i = 0; i < runs; i++) {
      const backend = i % 2 === 0 ? { name: 'green', port: 8081 } : { name: 'blue', port: 8080 }
      const run = await cycle([...objects, meta(probeRoute(ns, backend))], i)
      warm.push(run.ms)
      stringify.push(run.stringifyMs)
      count = run.routes
    }
    return { routes: count, warmMs: median(warm), coldMs: median(cold), stringifyMs: median(stringify) }
  } finally {
    await endpoint.close()
  }
}
