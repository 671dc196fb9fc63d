// `edge-ingress local [<file-or-dir>...] [--source <spec>]` (npm start, npm run sandbox): the
// edge on Node with a local stand-in backend per Service port (local/, ADR 0510), no cloud account
// needed. From manifests: compiled as the controller would (each LoadBalancer Service gets a
// placeholder balancer), reloaded on file changes. From a source: the tables a controller
// publishes, followed. Prints the route summary and curl lines; Ctrl-C stops everything.
import { createPrometheusMetrics } from '../../../../edge/src/observability/prometheus-metrics'
import { startNodeEdge, type NodeEdge } from '../../../../edge/src/runtime/node'
import { watchPaths } from '../../../../edge/src/runtime/node/watch-paths'
import { RouteTableHolder } from '../../../../edge/src/table/route-table-holder'
import { followSource } from '../../../../edge/src/table/source-follower'
import type { RouteTable } from '../../../../edge/src/route-table/types'
import { LOCAL_CLUSTER, withPlaceholderBalancers } from '../../local/local-backends'
import { requestLineLogger } from '../../local/request-lines'
import { LocalStandIns } from '../../local/stand-ins'
import { routeSummary } from '../../local/summary'
import { compileManifestFiles } from '../../manifests/compile-files'
import { formatDiagnostic } from '../../routes/format'
import { createSource } from './serve-sources'

export interface LocalCommandOptions {
  source?: string
  port: number
  host: string
  adminPort: number
}

export const DEFAULT_LOCAL_PATHS = ['infra/examples']

const say = (line: string) => process.stderr.write(`${line}\n`)

export async function run(paths: string[], options: LocalCommandOptions): Promise<void> {
  if (options.source !== undefined && paths.length > 0) throw new Error('give manifest files/directories or --source, not both')
  const inputs = options.source !== undefined ? [options.source] : paths.length > 0 ? paths : DEFAULT_LOCAL_PATHS
  const logger = requestLineLogger(say)
  const metrics = createPrometheusMetrics()
  const tables = new RouteTableHolder(logger, metrics)
  const standIns = new LocalStandIns(tables, options.host)
  let edge: NodeEdge | null = null

  say(`edge-ingress local: ${options.source ? 'following' : 'compiling'} ${inputs.join(', ')}, starting local backends and the edge on ${options.host}:${options.port} ...`)
  try {
    edge = await startNodeEdge({ tables, logger, metrics, host: options.host, port: options.port, adminPort: options.adminPort }).catch((error: Error) => {
      throw new Error(`${error.message}: stop what uses it or choose other ports (npm start -- --port <n> --admin-port <n>)`)
    })
  } catch (error) {
    await standIns.close()
    throw error
  }
  const edgeUrl = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${edge.address.port}`
  const show = (table: RouteTable, origin: string) =>
    process.stdout.write(
      [
        `edge-ingress local: serving ${table.hosts.length} host(s) from ${origin} on ${edgeUrl} (revision ${table.revision.slice(0, 12)})`,
        `Each Service port is a local echo backend: ${standIns.describe() || 'none yet'}`,
        '',
        'Routes:',
        ...routeSummary(table, edgeUrl),
        '',
        `Metrics: ${edgeUrl.replace(/:\d+$/, `:${edge!.adminAddress?.port}`)}/metrics. ${options.source ? 'The edge follows the published table.' : 'Edit the manifests and the edge reloads.'} Ctrl-C stops everything.`,
        '',
      ].join('\n'),
    )

  const stop = new AbortController()
  let stopWatching = () => {}
  let following: Promise<void> = Promise.resolve()
  try {
    if (options.source !== undefined) {
      const source = await createSource(options.source, { waitSeconds: 30 })
      following = followSource(
        source,
        async (text) => {
          const outcome = await standIns.load(text, source.name)
          if (typeof outcome === 'string') say(`  table refused, the last good one keeps serving: ${outcome}`)
          else show(outcome, source.name)
          return typeof outcome !== 'string'
        },
        { logger, metrics, signal: stop.signal },
      )
    } else {
      const compileAndLoad = async (): Promise<RouteTable | string> => {
        const { result, problems } = await compileManifestFiles(inputs, { clusterName: LOCAL_CLUSTER, prepare: withPlaceholderBalancers })
        if (problems.length > 0) return problems.map((p) => `${p.file}${p.document ? ` (document ${p.document})` : ''}: ${p.message}`).join('; ')
        for (const d of result.diagnostics) if (d.severity !== 'info') say(`  ${formatDiagnostic(d)}`)
        return standIns.load(result.table, inputs.join(', '))
      }
      const first = await compileAndLoad()
      if (typeof first === 'string') throw new Error(first)
      show(first, inputs.join(', '))
      stopWatching = await watchPaths(inputs, () => {
        void compileAndLoad().then((outcome) =>
          say(typeof outcome === 'string' ? `  reload refused, the last good table keeps serving: ${outcome}` : `  reloaded: ${outcome.hosts.length} host(s), revision ${outcome.revision.slice(0, 12)}`),
        )
      })
    }
  } catch (error) {
    await Promise.all([edge.close(), standIns.close()])
    throw error
  }

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
  say(`edge-ingress local: ${signal}, stopping the edge and ${standIns.backends.size} local backend(s)`)
  stopWatching()
  stop.abort()
  await Promise.all([edge.close(), standIns.close()])
  // The follower's read in flight (a long poll) ends with the abort: nothing holds the process.
  await following
}
