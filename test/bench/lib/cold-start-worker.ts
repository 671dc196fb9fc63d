// One cold start in a fresh process: `node --import tsx cold-start-worker.ts <table.json> <host> [steps]`.
// Loads the route table (parse, validate, index), starts the Node edge and serves the first
// request through it to the gateway; prints the timings as JSON. JSON.parse of the same text is
// the in-process baseline. With `steps`, it times the three steps of a load one by one instead
// (each cold), for the breakdown.
import { readFile } from 'node:fs/promises'
import { get } from 'node:http'
import { silentLogger } from '../../../edge/src/observability/logger'
import { buildMatcher } from '../../../edge/src/route-table/matcher'
import { parseRouteTable } from '../../../edge/src/route-table/parse'
import { createPrometheusMetrics } from '../../../edge/src/observability/prometheus-metrics'
import { startNodeEdge } from '../../../edge/src/runtime/node'
import { RouteTableHolder } from '../../../edge/src/table/route-table-holder'

// performance.now() counts from the process start: this is the time to load the program.
const modulesLoadedMs = performance.now()
const [file, host, mode] = process.argv.slice(2) as [string, string, string | undefined]
const text = await readFile(file, 'utf8')

if (mode === 'steps') {
  const t0 = performance.now()
  const value: unknown = JSON.parse(text)
  const t1 = performance.now()
  const parsed = parseRouteTable(value)
  const t2 = performance.now()
  if (!parsed.ok) throw new Error(`table refused: ${parsed.error.path}: ${parsed.error.message}`)
  buildMatcher(parsed.table)
  const t3 = performance.now()
  process.stdout.write(`${JSON.stringify({ jsonParseColdMs: t1 - t0, validateMs: t2 - t1, indexMs: t3 - t2 })}\n`)
  process.exit(0)
}

const loadStart = performance.now()
const tables = new RouteTableHolder(silentLogger, createPrometheusMetrics({ defaultMetrics: false }))
const loaded = tables.load(text, file)
if (!loaded.ok) throw new Error(`table refused: ${loaded.error.path}: ${loaded.error.message}`)
const loadMs = performance.now() - loadStart

const firstStart = performance.now()
const edge = await startNodeEdge({ tables, logger: silentLogger, host: '127.0.0.1', port: 0, adminPort: null })
// node:http as the client: its parser is already loaded, so the time is the edge's, not the client's.
const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
  get({ host: '127.0.0.1', port: edge.address.port, path: '/api/v1/items', headers: { host } }, (res) => {
    let text = ''
    res.on('data', (chunk: Buffer) => (text += chunk.toString()))
    res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
  }).on('error', reject)
})
const firstRequestMs = performance.now() - firstStart
if (status !== 200) throw new Error(`first request answered ${status}: ${body.slice(0, 200)}`)
await edge.close()

const parseStart = performance.now()
JSON.parse(text)
const jsonParseMs = performance.now() - parseStart

process.stdout.write(`${JSON.stringify({ modulesLoadedMs, loadMs, firstRequestMs, jsonParseMs })}\n`)
