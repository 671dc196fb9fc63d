// One cold start in a fresh process: `node --import tsx cold-start-worker.ts <table.json> <host> [steps]`.
// Loads the route table (parse, validate, index), starts the Node edge and serves the first
// request through it to the gateway; prints the timings as JSON. JSON.parse of the same text is
// the in-process baseline. With `steps`, it times the three steps of a load one by one instead
// (each cold), for the breakdown.
import { readFile } from 'node:fs/promises'
import { connect } from 'node:net'
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

// As `edge-ingress serve` does: one registry for the table holder and the edge, made before the table is read.
const metrics = createPrometheusMetrics()
const loadStart = performance.now()
const tables = new RouteTableHolder(silentLogger, metrics)
const loaded = tables.load(text, file)
if (!loaded.ok) throw new Error(`table refused: ${loaded.error.path}: ${loaded.error.message}`)
const loadMs = performance.now() - loadStart

const firstStart = performance.now()
const edge = await startNodeEdge({ tables, metrics, logger: silentLogger, host: '127.0.0.1', port: 0, adminPort: null })
const { status, body } = await rawRequest(edge.address.port, host, '/api/v1/items')
const firstRequestMs = performance.now() - firstStart
if (status !== 200) throw new Error(`first request answered ${status}: ${body.slice(0, 200)}`)
await edge.close()

const parseStart = performance.now()
JSON.parse(text)
const jsonParseMs = performance.now() - parseStart

process.stdout.write(`${JSON.stringify({ modulesLoadedMs, loadMs, firstRequestMs, jsonParseMs })}\n`)

/**
 * One HTTP/1.1 request over a plain socket, answered in full when the edge closes it. Not an
 * HTTP client: a client's own first use (node:http builds an Agent and derives a TLS server
 * name from the Host header, compiling Node's IPv6 pattern; several ms) is not the edge's time.
 */
function rawRequest(port: number, host: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let response = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`))
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (response += chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0), body: response.slice(response.indexOf('\r\n\r\n') + 4) }))
  })
}
