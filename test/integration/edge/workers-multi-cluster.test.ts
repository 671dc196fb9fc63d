// The Workers bundle on real workerd (miniflare) following four clusters at once: two KV keys
// (the controller's object-store layout: pointer + revision) and two controller endpoints (the
// controller's real RouteTableEndpoint on loopback, behind a bearer token given as a Workers
// secret binding). Requests reach every cluster; a cluster's gateway down fails over; garbage
// from one endpoint keeps that cluster's last good table; a deleted KV pointer drops its
// cluster; a Worker without the token keeps serving the KV clusters and logs the 401.
import { Miniflare } from 'miniflare'
import type { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RouteTableEndpoint } from '../../../controller/src/adapters/http/route-table-endpoint'
import { bundleEdge } from '../../../edge/src/runtime/build/bundle'
import { clusterTableKey, pointerFor, revisionKey } from '../../../edge/src/route-table/store-layout'
import type { RouteTable } from '../../../edge/src/route-table/types'
import { route, table } from '../../spec-cases/builder'
import { CapturedLogs } from './support/captured-logs'
import { eventually } from './support/eventually'
import { startGateways, type LiveGateways } from './support/gateways'

const TOKEN = 'workers-secret-0123456789abcdef'
const clusters: Record<string, LiveGateways> = {}
const endpoints: Record<string, RouteTableEndpoint> = {}
const logs = new CapturedLogs()
let mf: Miniflare
let kv: { put(key: string, value: string): Promise<void>; delete(key: string): Promise<void> }
type Fetcher = { fetch(url: string, init?: RequestInit): Promise<Response> }
let withToken: Fetcher
let withoutToken: Fetcher

/** Cluster `c` serves shop.multi.test (as every cluster does) and c.multi.test (its own). */
async function startCluster(c: string): Promise<RouteTable> {
  clusters[c] = await startGateways(table({
    'shop.multi.test': [route({ object: 'shop/web', backend: `${c}/web:80` })],
    [`${c}.multi.test`]: [route({ object: `${c}/own`, backend: `${c}/own:80` })],
  }))
  return clusters[c]!.table
}

async function get(worker: Fetcher, host: string) {
  const res = await worker.fetch(`https://${host}/`)
  return { status: res.status, servedBy: res.status === 200 ? ((await res.json()) as { server: string }).server : (await res.text(), null) }
}

async function tally(worker: Fetcher, host: string, count: number) {
  const seen: Record<string, number> = {}
  for (let i = 0; i < count; i++) {
    const { status, servedBy } = await get(worker, host)
    seen[servedBy ?? `status ${status}`] = (seen[servedBy ?? `status ${status}`] ?? 0) + 1
  }
  return seen
}

beforeAll(async () => {
  for (const c of ['c', 'd']) {
    endpoints[c] = await RouteTableEndpoint.start('127.0.0.1', 0, { tokens: async () => [TOKEN] })
    const t = await startCluster(c)
    await endpoints[c]!.publish(t, JSON.stringify(t))
  }
  const { code } = await bundleEdge({ runtime: 'cloudflare-workers' })
  const worker = (name: string, bindings: Record<string, string | string[]>) => ({
    name, modules: true, script: code, compatibilityDate: '2025-01-01', kvNamespaces: { ROUTE_TABLE: 'tables' },
    bindings: { ROUTE_TABLE_REFRESH_SECONDS: '0', ...bindings },
  })
  const urls = `${endpoints.c!.name}, ${endpoints.d!.name}`
  mf = new Miniflare({
    workers: [
      // Keys as a JSON array (a wrangler var may be JSON), URLs as a comma-separated string.
      worker('with-token', { ROUTE_TABLE_KEY: [clusterTableKey('a'), clusterTableKey('b')], ROUTE_TABLE_URL: urls, ROUTE_TABLE_TOKEN: TOKEN }),
      worker('without-token', { ROUTE_TABLE_KEY: `${clusterTableKey('a')},${clusterTableKey('b')}`, ROUTE_TABLE_URL: urls }),
    ],
    handleRuntimeStdio: (stdout: Readable) => stdout.on('data', (chunk: Buffer) => logs.readText(String(chunk))),
  })
  kv = (await mf.getKVNamespace('ROUTE_TABLE', 'with-token')) as unknown as typeof kv
  for (const c of ['a', 'b']) {
    const t = await startCluster(c)
    await kv.put(revisionKey(c, t.revision), JSON.stringify(t))
    await kv.put(clusterTableKey(c), JSON.stringify(pointerFor(c, t.revision, new Date())))
  }
  withToken = (await mf.getWorker('with-token')) as unknown as Fetcher
  withoutToken = (await mf.getWorker('without-token')) as unknown as Fetcher
})
afterAll(async () => {
  await mf?.dispose()
  for (const endpoint of Object.values(endpoints)) await endpoint.close()
  for (const live of Object.values(clusters)) await live.close()
})

describe('Workers edge merging KV keys and controller endpoints', () => {
  it("reaches every cluster: the shared host all four clusters' gateways, each own host its cluster", async () => {
    await eventually(() => get(withToken, 'd.multi.test'), (r) => r.status === 200, 'every table served')
    for (const c of ['a', 'b', 'c', 'd']) expect((await get(withToken, `${c}.multi.test`)).servedBy).toBe(`gw-${c}-own-80`)
    const shared = await tally(withToken, 'shop.multi.test', 60)
    expect(Object.keys(shared).sort()).toEqual(['gw-a-web-80', 'gw-b-web-80', 'gw-c-web-80', 'gw-d-web-80'])
  })

  it("fails over to the other clusters when one cluster's gateway is down", async () => {
    await clusters.a!.servers['gw-a-web-80']!.close()
    const shared = await tally(withToken, 'shop.multi.test', 30)
    expect(shared['gw-a-web-80']).toBeUndefined()
    expect(Object.values(shared).reduce((a, b) => a + b, 0)).toBe(30)
    expect(Object.keys(shared).every((k) => k.startsWith('gw-'))).toBe(true)
  })

  it("keeps the last good table of a cluster whose endpoint sends garbage", async () => {
    const { revision: _r, ...content } = clusters.d!.table
    await endpoints.d!.publish({ ...content, revision: 'feedface00' }, '{"schemaVersion": 1, "hosts": "garbage"}')
    // A Worker reads its sources while it serves requests: keep asking until the garbage was read.
    const refused = () => logs.lines.some((l) => l.event === 'route-table-refused' && l.origin === endpoints.d!.name)
    await eventually(async () => (await get(withToken, 'c.multi.test'), refused()), Boolean, 'the garbage to be refused')
    expect((await get(withToken, 'd.multi.test')).servedBy).toBe('gw-d-own-80')
  })

  it('drops a cluster whose KV pointer is deleted', async () => {
    await kv.delete(clusterTableKey('b'))
    await eventually(() => get(withToken, 'b.multi.test'), (r) => r.status === 404, "cluster b's routes to leave")
    expect((await get(withToken, 'c.multi.test')).servedBy).toBe('gw-c-own-80')
    expect(logs.lines.find((l) => l.event === 'route-table-withdrawn')).toMatchObject({ origin: `kv:${clusterTableKey('b')}` })
  })

  it('without the token the endpoints answer 401: logged, and the KV clusters keep serving', async () => {
    await eventually(() => get(withoutToken, 'a.multi.test'), (r) => r.status === 200, 'the KV table served')
    expect((await get(withoutToken, 'c.multi.test')).status).toBe(404)
    const failed = await eventually(async () => (await get(withoutToken, 'a.multi.test'), logs.lines.find((l) => l.event === 'route-table-source-failed' && String(l.error).includes('HTTP 401'))), Boolean, 'the 401 to be logged')
    expect(String(failed!.error)).toContain('the controller wants a bearer token')
    expect(JSON.stringify(logs.lines)).not.toContain(TOKEN)
  })
})
