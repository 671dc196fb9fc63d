// `edge-ingress local [<file-or-dir>...]` (npm start): the product on one machine with no cloud
// account and no cluster. The manifests are compiled as the controller would compile them,
// each LoadBalancer Service port gets a local stand-in backend (local/local-backends.ts), and the
// edge serves on Node. Prints the route summary and curl lines; reloads on file changes; Ctrl-C
// stops everything it started.
import { createPrometheusMetrics } from '../../../../edge/src/observability/prometheus-metrics'
import { startNodeEdge, type NodeEdge } from '../../../../edge/src/runtime/node'
import { watchPaths } from '../../../../edge/src/runtime/node/watch-paths'
import { RouteTableHolder } from '../../../../edge/src/table/route-table-holder'
import type { RouteTable } from '../../../../edge/src/route-table/types'
import { startEchoBackend, type EchoBackend } from '../../local/echo-backend'
import { LOCAL_CLUSTER, pointAtLocalBackends, serviceKey, servicePortsOf, withPlaceholderBalancers } from '../../local/local-backends'
import { requestLineLogger } from '../../local/request-lines'
import { routeSummary } from '../../local/summary'
import { compileManifestFiles } from '../../manifests/compile-files'
import { formatDiagnostic } from '../../routes/format'

export interface LocalCommandOptions {
  port: number
  host: string
  adminPort: number
}

export const DEFAULT_LOCAL_PATHS = ['infra/examples']

const say = (line: string) => process.stderr.write(`${line}\n`)

export async function run(paths: string[], options: LocalCommandOptions): Promise<void> {
  const sources = paths.length > 0 ? paths : DEFAULT_LOCAL_PATHS
  const logger = requestLineLogger(say)
  const metrics = createPrometheusMetrics()
  const tables = new RouteTableHolder(logger, metrics)
  const backends = new Map<string, EchoBackend>()
  let edge: NodeEdge | null = null
  const stop = async () => {
    await edge?.close()
    await Promise.all([...backends.values()].map((b) => b.close()))
  }

  /** Compiles, starts stand-ins for new Service ports, loads the table; returns it or why not. */
  const load = async (): Promise<RouteTable | string> => {
    const { result, problems } = await compileManifestFiles(sources, { clusterName: LOCAL_CLUSTER, prepare: withPlaceholderBalancers })
    if (problems.length > 0) return problems.map((p) => `${p.file}${p.document ? ` (document ${p.document})` : ''}: ${p.message}`).join('; ')
    for (const d of result.diagnostics) if (d.severity !== 'info') say(`  ${formatDiagnostic(d)}`)
    for (const service of servicePortsOf(result.table)) {
      const key = serviceKey(service)
      if (!backends.has(key)) backends.set(key, await startEchoBackend(key, options.host))
    }
    const table = await pointAtLocalBackends(result.table, backends)
    const loaded = tables.load(table, sources.join(', '))
    return loaded.ok ? table : `compiled table refused: ${loaded.error.path}: ${loaded.error.message}`
  }

  say(`edge-ingress local: compiling ${sources.join(', ')}, starting local backends and the edge on ${options.host}:${options.port} ...`)
  try {
    const first = await load()
    if (typeof first === 'string') throw new Error(first)
    edge = await startNodeEdge({ tables, logger, metrics, host: options.host, port: options.port, adminPort: options.adminPort }).catch((error: Error) => {
      throw new Error(`${error.message}: stop what uses it or choose other ports (npm start -- --port <n> --admin-port <n>)`)
    })
    const edgeUrl = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${edge.address.port}`
    process.stdout.write(
      [
        `edge-ingress local: serving ${first.hosts.length} host(s) from ${sources.join(', ')} on ${edgeUrl} (no cloud, no cluster)`,
        `Each LoadBalancer Service port is a local echo backend: ${[...backends.values()].map((b) => `${b.service} = ${b.address}:${b.port}`).join(', ')}`,
        '',
        'Routes:',
        ...routeSummary(first, edgeUrl),
        '',
        `Metrics: ${edgeUrl.replace(/:\d+$/, `:${edge.adminAddress?.port}`)}/metrics. Edit the manifests and the edge reloads. Ctrl-C stops everything.`,
        '',
      ].join('\n'),
    )
  } catch (error) {
    await stop()
    throw error
  }

  const stopWatching = await watchPaths(sources, () => {
    void load().then((outcome) => say(typeof outcome === 'string' ? `  reload refused, the last good table keeps serving: ${outcome}` : `  reloaded: ${outcome.hosts.length} host(s), revision ${outcome.revision.slice(0, 12)}`))
  })
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
  say(`edge-ingress local: ${signal}, stopping the edge and ${backends.size} local backend(s)`)
  stopWatching()
  await stop()
}
