// `edge-ingress serve (--routes table.json | <file-or-dir>... | --source <spec>...)`: the edge on
// Node. A table file or manifests are read at start and again whenever the files change; sources
// (./serve-sources.ts, one per cluster) are followed for as long as the edge runs and their
// tables merged. A bad new table is refused and logged, and the last good one keeps serving.
import { readFile } from 'node:fs/promises'
import { createPinoLogger } from '../../../../edge/src/observability/pino-logger'
import { createPrometheusMetrics } from '../../../../edge/src/observability/prometheus-metrics'
import { startNodeEdge } from '../../../../edge/src/runtime/node'
import { watchPaths } from '../../../../edge/src/runtime/node/watch-paths'
import { ClusterTables } from '../../../../edge/src/table/cluster-tables'
import { RouteTableHolder } from '../../../../edge/src/table/route-table-holder'
import { followSource } from '../../../../edge/src/table/source-follower'
import type { Logger } from '../../../../edge/src/observability/logger'
import { TokenFile } from '../../adapters/fs/token-file'
import { compileManifestFiles } from '../../manifests/compile-files'
import { createSource } from './serve-sources'

export interface ServeCommandOptions {
  routes?: string
  source?: string[]
  awsEndpoint?: string
  awsRegion?: string
  /** Seconds between reads of s3:// and file: sources. */
  pollInterval: number
  /** Seconds an http source's long-poll may be held by the controller. */
  longPoll: number
  /** File holding the bearer token that http sources send (the controllers' --route-table-token-file). */
  sourceTokenFile?: string
  port: number
  host: string
  adminPort: number
  /** Seconds a gateway that gave no response is skipped (failover). */
  gatewayCooldown: number
}

/** Reads or compiles the table and loads it; returns why it was refused, or null. */
async function loadTable(tables: RouteTableHolder, paths: string[], routes: string | undefined, logger: Logger): Promise<string | null> {
  if (routes !== undefined) {
    let text: string
    try {
      text = await readFile(routes, 'utf8')
    } catch (error) {
      return `cannot read ${routes}: ${(error as Error).message}`
    }
    const result = tables.load(text, routes)
    return result.ok ? null : `${routes}: ${result.error.path}: ${result.error.message}`
  }
  const { result, problems } = await compileManifestFiles(paths, { clusterName: 'default' })
  if (problems.length > 0) {
    const first = problems[0]!
    return `${first.file}${first.document ? ` (document ${first.document})` : ''}: ${first.message}`
  }
  for (const d of result.diagnostics) logger.warn({ diagnostic: d }, 'route compiler diagnostic')
  const loaded = tables.load(result.table, paths.join(', '))
  return loaded.ok ? null : `compiled table refused: ${loaded.error.path}: ${loaded.error.message}`
}

export async function run(paths: string[], options: ServeCommandOptions): Promise<void> {
  const sources = options.source ?? []
  if ([options.routes !== undefined, paths.length > 0, sources.length > 0].filter(Boolean).length !== 1) {
    throw new Error('give one of --routes <table.json>, Kubernetes manifest files/directories, or --source <spec> (repeatable)')
  }
  const logger = createPinoLogger({ name: 'edge-ingress-serve', batchLines: true })
  const metrics = createPrometheusMetrics()
  const tables = new RouteTableHolder(logger, metrics)
  if (sources.length > 0) return serveSources(sources, tables, logger, metrics, options)
  const firstError = await loadTable(tables, paths, options.routes, logger)
  if (firstError !== null) throw new Error(firstError)

  const edge = await startNodeEdge({ tables, logger, metrics, host: options.host, port: options.port, adminPort: options.adminPort, gatewayCoolDownMs: options.gatewayCooldown * 1000 })
  const watched = options.routes !== undefined ? [options.routes] : paths
  const stopWatching = await watchPaths(watched, () => {
    void loadTable(tables, paths, options.routes, logger).then((error) => {
      if (error !== null) logger.error({ error }, 'new route table refused; the last good one keeps serving')
    })
  })
  process.stderr.write(
    `edge-ingress: serving ${watched.join(', ')} (revision ${tables.current()!.table.revision.slice(0, 12)}) on ${url(options.host, edge.address.port)}; ` +
      `metrics, healthz and readyz on ${url(options.host, edge.adminAddress!.port)}; reloading on file changes\n`,
  )
  await stopSignal()
  stopWatching()
  await edge.close()
}

/** Follows every source until stopped; serves 503 until the first table arrives. */
async function serveSources(specs: string[], tables: RouteTableHolder, logger: Logger, metrics: ReturnType<typeof createPrometheusMetrics>, options: ServeCommandOptions) {
  const token = await sourceToken(specs, options.sourceTokenFile, logger)
  const sources = await Promise.all(specs.map((spec) => createSource(spec, { awsEndpoint: options.awsEndpoint, awsRegion: options.awsRegion, waitSeconds: options.longPoll, token })))
  const names = new Set(sources.map((s) => s.name))
  if (names.size !== sources.length) throw new Error('--source: the same source is given twice')
  const clusters = new ClusterTables(tables, logger, metrics)
  const edge = await startNodeEdge({ tables, logger, metrics, host: options.host, port: options.port, adminPort: options.adminPort, gatewayCoolDownMs: options.gatewayCooldown * 1000 })
  const stop = new AbortController()
  const following = sources.map((source) =>
    followSource(
      source,
      (text) => clusters.offer(source.name, text),
      { logger, metrics, signal: stop.signal, onWithdrawn: () => clusters.withdraw(source.name) },
      { intervalMs: options.pollInterval * 1000 },
    ),
  )
  process.stderr.write(
    `edge-ingress: serving from ${sources.map((s) => s.name).join(', ')} on ${url(options.host, edge.address.port)}; ` +
      `metrics, healthz and readyz on ${url(options.host, edge.adminAddress!.port)}; 503 until a first table arrives\n`,
  )
  await stopSignal()
  stop.abort()
  await Promise.all(following)
  await edge.close()
}

/** The token http sources send, read from --source-token-file (again every few seconds: rotation). */
async function sourceToken(specs: string[], path: string | undefined, logger: Logger): Promise<(() => Promise<string>) | undefined> {
  if (path === undefined) return undefined
  if (!specs.some((spec) => /^https?:\/\//.test(spec))) throw new Error('--source-token-file: only http(s):// sources send a token, and none is given')
  const file = await TokenFile.open(path, '--source-token-file', { onStale: (error) => logger.warn({ event: 'token-file-unreadable', error }, 'cannot read the token file again') })
  return () => file.first()
}

const url = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`

async function stopSignal(): Promise<void> {
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
  process.stderr.write(`edge-ingress: ${signal}, stopping\n`)
}
