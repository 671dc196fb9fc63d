// Cold start: in a fresh Node process, the time to build the route table (parse, validate,
// index) for 10k routes and serve the first request through the edge to a gateway; and the
// gzipped size of the Workers bundle. Goals (issue 2): under 100 ms, under 1 MB. Baseline in
// the same process: JSON.parse of the same table text.
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { bundleEdge, type BundledRuntime } from '../../edge/src/runtime/build/bundle'
import { runWorker } from './lib/run-worker'
import { workDir } from './lib/servers'
import { median } from './lib/stats'
import { hostname, syntheticTableWithRevision } from './lib/synthetic-table'
import type { BenchContext, BenchResult } from './lib/types'

const ROUTES = 10_000
const worker = fileURLToPath(new URL('./lib/cold-start-worker.ts', import.meta.url))

interface Steps {
  jsonParseColdMs: number
  validateMs: number
  indexMs: number
}

interface ColdStart {
  modulesLoadedMs: number
  loadMs: number
  firstRequestMs: number
  jsonParseMs: number
}

const gzippedKb = (code: string) => Math.round(gzipSync(code).byteLength / 102.4) / 10

export default async function coldStartBench(ctx: BenchContext): Promise<BenchResult> {
  const runs = ctx.quick ? 3 : 11
  const dir = await workDir('cold-start')
  // One fast gateway for every backend of the table.
  const gateway = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n'))
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve))
  try {
    const table = await syntheticTableWithRevision(ROUTES)
    for (const g of Object.values(table.gateways)) g.port = (gateway.address() as AddressInfo).port
    const { revision: _stale, ...content } = table
    const file = join(dir, 'table.json')
    const text = JSON.stringify({ ...content, revision: (await syntheticTableWithRevision(ROUTES)).revision })
    await writeFile(file, text)

    const samples: ColdStart[] = []
    for (let i = 0; i < runs; i++) {
      samples.push(await runWorker<ColdStart>(worker, [file, hostname(0)]))
    }
    const steps: Steps[] = []
    for (let i = 0; i < runs; i++) {
      steps.push(await runWorker<Steps>(worker, [file, hostname(0), 'steps']))
    }
    const step = (key: keyof Steps) => median(steps.map((s) => s[key]))
    const m = (key: keyof ColdStart) => median(samples.map((s) => s[key]))
    const total = median(samples.map((s) => s.loadMs + s.firstRequestMs))

    const bundles: Partial<Record<BundledRuntime, string>> = {}
    for (const runtime of ['cloudflare-workers', 'aws-lambda', 'lambda-edge'] as const) bundles[runtime] = (await bundleEdge({ runtime })).code
    const workersKb = gzippedKb(bundles['cloudflare-workers']!)
    const withSnapshotKb = gzippedKb((await bundleEdge({ runtime: 'cloudflare-workers', snapshot: JSON.parse(text) })).code)
    const round = (n: number) => Math.round(n * 100) / 100
    ctx.log(`table load ${round(m('loadMs'))} ms + first request ${round(m('firstRequestMs'))} ms = ${round(total)} ms; Workers bundle ${workersKb} KB gzipped`)
    return {
      name: 'cold-start',
      method:
        `${runs} fresh Node processes each read a ${ROUTES}-route synthetic table (${Math.round(text.length / 1024)} KB of JSON), load it (parse, validate all of it, index: RouteTableHolder.load; a host's routes are indexed when a request first selects it, ADR 0104), ` +
        `start the Node edge and serve one request through it to a local gateway (the client writes the request on a plain socket, so no HTTP client's first use counts; one metrics registry made before the load, as edge-ingress serve does); medians. Baseline: JSON.parse of the same text in the same process (warm, after the load). The breakdown times the three steps of a load one by one in ${runs} more fresh processes. ` +
        `Bundle sizes: esbuild bundles (minified) as deployed, gzipped with zlib defaults.`,
      metrics: {
        'table load + first request ms (median)': round(total),
        'table load ms (parse, validate, index; median)': round(m('loadMs')),
        'first request ms (listen + first forward; median)': round(m('firstRequestMs')),
        'of which JSON.parse, cold (median of separate runs)': round(step('jsonParseColdMs')),
        'of which validation (parseRouteTable; median of separate runs)': round(step('validateMs')),
        'of which index (buildMatcher: hosts filed by port, routes indexed per host on first use; median of separate runs)': round(step('indexMs')),
        'JSON.parse ms of the same table (median, baseline)': round(m('jsonParseMs')),
        'ratio table load / JSON.parse': round(m('loadMs') / m('jsonParseMs')),
        'program load ms (process start to modules loaded, tsx; median)': round(m('modulesLoadedMs')),
        'Workers bundle KB gzipped': workersKb,
        'Workers bundle KB gzipped with the 10k-route table bundled': withSnapshotKb,
        'Lambda bundle KB gzipped': gzippedKb(bundles['aws-lambda']!),
        'Lambda@Edge bundle KB gzipped': gzippedKb(bundles['lambda-edge']!),
      },
      goals: [
        { description: `table load + first request under 100 ms for ${ROUTES} routes (measured ${round(total)} ms)`, met: total < 100 },
        { description: `gzipped Workers bundle under 1 MB (measured ${workersKb} KB)`, met: workersKb < 1024 },
      ],
    }
  } finally {
    await new Promise((resolve) => gateway.close(resolve))
  }
}
