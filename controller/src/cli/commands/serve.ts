// `edge-ingress serve (--routes table.json | <file-or-dir>...)`: the edge on Node. The table is
// read (or compiled from manifests) at start and again whenever the files change; a bad new
// table is refused and logged, and the last good one keeps serving.
import { readFile } from 'node:fs/promises'
import { createPinoLogger } from '../../../../edge/src/observability/pino-logger'
import { createPrometheusMetrics } from '../../../../edge/src/observability/prometheus-metrics'
import { startNodeEdge } from '../../../../edge/src/runtime/node'
import { watchPaths } from '../../../../edge/src/runtime/node/watch-paths'
import { RouteTableHolder } from '../../../../edge/src/table/route-table-holder'
import type { Logger } from '../../../../edge/src/observability/logger'
import { compileManifestFiles } from '../../manifests/compile-files'

export interface ServeCommandOptions {
  routes?: string
  port: number
  host: string
  adminPort: number
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
  if ((options.routes === undefined) === (paths.length === 0)) {
    throw new Error('give either --routes <table.json> or Kubernetes manifest files/directories (not both)')
  }
  const logger = createPinoLogger({ name: 'edge-ingress-serve' })
  const metrics = createPrometheusMetrics()
  const tables = new RouteTableHolder(logger, metrics)
  const firstError = await loadTable(tables, paths, options.routes, logger)
  if (firstError !== null) throw new Error(firstError)

  const edge = await startNodeEdge({ tables, logger, metrics, host: options.host, port: options.port, adminPort: options.adminPort })
  const watched = options.routes !== undefined ? [options.routes] : paths
  const stopWatching = await watchPaths(watched, () => {
    void loadTable(tables, paths, options.routes, logger).then((error) => {
      if (error !== null) logger.error({ error }, 'new route table refused; the last good one keeps serving')
    })
  })
  const url = (port: number) => `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`
  process.stderr.write(
    `edge-ingress: serving ${watched.join(', ')} (revision ${tables.current()!.table.revision.slice(0, 12)}) on ${url(edge.address.port)}; ` +
      `metrics, healthz and readyz on ${url(edge.adminAddress!.port)}; reloading on file changes\n`,
  )

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
  process.stderr.write(`edge-ingress: ${signal}, stopping\n`)
  stopWatching()
  await edge.close()
}
