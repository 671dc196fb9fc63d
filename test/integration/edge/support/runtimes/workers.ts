// The Workers bundle (esbuild, minified) on real workerd through miniflare: one worker per case,
// each reading its case's table from a shared KV namespace under its own ROUTE_TABLE_KEY. Log
// lines are read from workerd's stdout (console JSON).
import { Miniflare } from 'miniflare'
import type { Readable } from 'node:stream'
import { bundleEdge } from '../../../../../edge/src/runtime/build/bundle'
import { CapturedLogs } from '../captured-logs'
import { headersWithoutHost, observeResponse, type SpecDriver } from '../spec-runner'

export const workersEdge: SpecDriver = {
  name: 'Cloudflare Workers (workerd via miniflare)',
  forwards: true,
  async start(cases) {
    const logs = new CapturedLogs()
    const { code } = await bundleEdge({ runtime: 'cloudflare-workers' })
    const mf = new Miniflare({
      workers: cases.map((_, i) => ({
        name: `case-${i}`,
        modules: true,
        script: code,
        compatibilityDate: '2025-01-01',
        kvNamespaces: { ROUTE_TABLE: 'spec-tables' },
        bindings: { ROUTE_TABLE_KEY: `case-${i}.json`, ROUTE_TABLE_REFRESH_SECONDS: '3600' },
      })),
      handleRuntimeStdio: (stdout: Readable) => stdout.on('data', (chunk: Buffer) => logs.readText(String(chunk))),
    })
    // miniflare's KV type comes from its own copy of the Workers types; only put() is needed.
    const kv = (await mf.getKVNamespace('ROUTE_TABLE', 'case-0')) as unknown as { put(key: string, value: string): Promise<void> }
    for (const [i, live] of cases.entries()) await kv.put(`case-${i}.json`, JSON.stringify(live.gateways.table))
    // miniflare types its Fetcher with its own copy of the Workers types; the web fetch signature is what it takes.
    const workers = (await Promise.all(cases.map((_, i) => mf.getWorker(`case-${i}`)))) as unknown as { fetch(url: string, init: RequestInit): Promise<Response> }[]
    return {
      logs,
      send: async (index, request, requestId) =>
        observeResponse(await workers[index]!.fetch(request.url, { method: request.method ?? 'GET', headers: headersWithoutHost(request, requestId), redirect: 'manual' })),
      stop: () => mf.dispose(),
    }
  },
}
