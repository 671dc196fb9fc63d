// One cold start in a fresh process: `node --import tsx cold-start-worker.ts <table.json> <gateway-port>`.
// Loads the route table (parse, validate, index), starts the Node edge and serves the first
// request through it to the gateway; prints the timings as JSON. JSON.parse of the same text is
// the in-process baseline.
import { readFile } from 'node:fs/promises'
import { request } from 'undici'
import { silentLogger } from '../../../edge/src/observability/logger'
import { createPrometheusMetrics } from '../../../edge/src/observability/prometheus-metrics'
import { startNodeEdge } from '../../../edge/src/runtime/node'
import { RouteTableHolder } from '../../../edge/src/table/route-table-holder'

// performance.now() counts from the process start: this is the time to load the program.
const modulesLoadedMs = performance.now()
const [file, host] = process.argv.slice(2) as [string, string]
const text = await readFile(file, 'utf8')

const loadStart = performance.now()
const tables = new RouteTableHolder(silentLogger, createPrometheusMetrics({ defaultMetrics: false }))
const loaded = tables.load(text, file)
if (!loaded.ok) throw new Error(`table refused: ${loaded.error.path}: ${loaded.error.message}`)
const loadMs = performance.now() - loadStart

const firstStart = performance.now()
const edge = await startNodeEdge({ tables, logger: silentLogger, host: '127.0.0.1', port: 0, adminPort: null })
const res = await request(`http://127.0.0.1:${edge.address.port}/api/v1/items`, { headers: { host } })
const body = await res.body.text()
const firstRequestMs = performance.now() - firstStart
if (res.statusCode !== 200) throw new Error(`first request answered ${res.statusCode}: ${body.slice(0, 200)}`)
await edge.close()

const parseStart = performance.now()
JSON.parse(text)
const jsonParseMs = performance.now() - parseStart

process.stdout.write(`${JSON.stringify({ modulesLoadedMs, loadMs, firstRequestMs, jsonParseMs })}\n`)
