// The Workers bundle (esbuild, minified: what would be deployed) on real workerd through
// miniflare, forwarding to real echo backends on loopback. Tables come from the bundled
// snapshot or from a KV binding.
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleEdge } from '../../../edge/src/runtime/build/bundle'
import { action, gatewayId, route, table } from '../../spec-cases/builder'
import { fieldLinesAsGoJoins, type Echoed } from './support/echo-server'
import { eventually } from './support/eventually'
import { startGateways, type LiveGateways } from './support/gateways'

const A = 'demo/a:80'
const B = 'demo/b:80'
let gateways: LiveGateways
let snapshotWorker: Miniflare
let kvWorker: Miniflare

beforeAll(async () => {
  gateways = await startGateways(
    table({
      'app.test': [
        route({ object: 'demo/a', prefix: '/a', backend: A }),
        route({ object: 'demo/b', prefix: '/b', backend: B }),
        { ...route({ object: 'demo/slow', prefix: '/slow', backend: A }), action: { ...action(A), timeouts: { requestMs: 300, backendMs: null } } },
        route({
          object: 'demo/add',
          prefix: '/add',
          backend: A,
          filters: [{ type: 'RequestHeaderModifier', set: [], add: [{ name: 'X-Header-Add', value: 'add-appends-values' }], remove: [] }],
        }),
      ],
    }),
  )
  const withSnapshot = await bundleEdge({ runtime: 'cloudflare-workers', snapshot: gateways.table })
  snapshotWorker = new Miniflare({ modules: true, script: withSnapshot.code, compatibilityDate: '2025-01-01' })
  const kvOnly = await bundleEdge({ runtime: 'cloudflare-workers' })
  kvWorker = new Miniflare({
    modules: true,
    script: kvOnly.code,
    compatibilityDate: '2025-01-01',
    kvNamespaces: ['ROUTE_TABLE'],
    bindings: { ROUTE_TABLE_REFRESH_SECONDS: '0' },
  })
})
afterAll(async () => {
  await snapshotWorker?.dispose()
  await kvWorker?.dispose()
  await gateways?.close()
})

describe('Workers (bundled snapshot)', () => {
  it('forwards to the matching gateway; the client host travels as X-Forwarded-Host', async () => {
    const res = await snapshotWorker.dispatchFetch('https://app.test/a/x?q=1', { headers: { 'cf-connecting-ip': '203.0.113.5' } })
    expect(res.status).toBe(200)
    const echoed = (await res.json()) as Echoed
    expect(echoed.server).toBe(gatewayId(A))
    expect(echoed.url).toBe('/a/x?q=1')
    // fetch in workerd cannot set Host: the gateway sees its own address (docs/edge.md).
    expect(echoed.headers.host).toBe(`127.0.0.1:${gateways.servers[gatewayId(A)]!.port}`)
    expect(echoed.headers['x-forwarded-host']).toBe('app.test')
    expect(echoed.headers['x-forwarded-proto']).toBe('https')
    expect(echoed.headers['x-forwarded-for']).toBe('203.0.113.5')
    expect(echoed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('appends an added request header value as the conformance suite reads it: old,new', async () => {
    const res = await snapshotWorker.dispatchFetch('https://app.test/add', { headers: { 'x-header-add': 'some-other-value' } })
    const echoed = (await res.json()) as Echoed
    expect(fieldLinesAsGoJoins(echoed.rawHeaders, 'x-header-add')).toBe('some-other-value,add-appends-values')
  })

  it('passes an upstream redirect through', async () => {
    const res = await snapshotWorker.dispatchFetch('https://app.test/b', { headers: { 'x-echo-status': '307', 'x-echo-location': 'https://elsewhere.example/' }, redirect: 'manual' })
    expect(res.status).toBe(307)
    expect(res.headers.get('location')).toBe('https://elsewhere.example/')
    await res.arrayBuffer()
  })

  it('answers 504 with a JSON error when the gateway does not answer within the route timeout', async () => {
    const started = performance.now()
    const res = await snapshotWorker.dispatchFetch('https://app.test/slow', { headers: { 'x-echo-delay-ms': '5000' } })
    expect(res.status).toBe(504)
    expect(await res.json()).toMatchObject({ status: 504, error: expect.stringMatching(/within 300 ms/) })
    expect(performance.now() - started).toBeLessThan(3000)
  })

  it('drops hop-by-hop headers and passes traceparent and a valid X-Request-Id', async () => {
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    const res = await snapshotWorker.dispatchFetch('https://app.test/a', { headers: { traceparent: tp, 'x-request-id': 'client-7', 'proxy-authorization': 'Basic x', te: 'trailers' } })
    const echoed = (await res.json()) as Echoed
    expect(echoed.headers.traceparent).toBe(tp)
    expect(echoed.headers['x-request-id']).toBe('client-7')
    expect(echoed.headers['proxy-authorization']).toBeUndefined()
    expect(res.headers.get('x-request-id')).toBe('client-7')
    expect(res.headers.get('keep-alive')).toBeNull()
  })

  it('streams a POST body to the backend', async () => {
    const res = await snapshotWorker.dispatchFetch('https://app.test/b/upload', { method: 'POST', body: 'x'.repeat(100_000) })
    expect(((await res.json()) as Echoed).body).toHaveLength(100_000)
  })

  it('answers 404 with JSON for a host in no rule, and resolves dot segments before matching', async () => {
    const res = await snapshotWorker.dispatchFetch('https://nobody.test/a')
    expect(res.status).toBe(404)
    expect(await res.json()).toMatchObject({ status: 404 })
    const dotted = await snapshotWorker.dispatchFetch('https://app.test/b/%2e%2e/a/x')
    expect(((await dotted.json()) as Echoed).server).toBe(gatewayId(A))
  })
})

describe('Workers (KV binding)', () => {
  it('answers 503 until KV holds a table, then serves it, and keeps it when KV gets a corrupt one', async () => {
    const first = await kvWorker.dispatchFetch('https://app.test/a')
    expect(first.status).toBe(503)
    await first.arrayBuffer()
    // miniflare's KV type comes from its own copy of the Workers types; only put() is needed.
    const kv = (await kvWorker.getKVNamespace('ROUTE_TABLE')) as unknown as { put(key: string, value: string): Promise<void> }
    await kv.put('route-table.json', JSON.stringify(gateways.table))
    const served = await eventually(
      async () => {
        const res = await kvWorker.dispatchFetch('https://app.test/a')
        return { status: res.status, body: await res.text() }
      },
      (r) => r.status === 200,
      'the KV table to be served',
    )
    expect((JSON.parse(served.body) as Echoed).server).toBe(gatewayId(A))
    await kv.put('route-table.json', '{"schemaVersion": 1, "hosts": [')
    // Each request re-reads KV in the background (refresh 0 s): several requests later the
    // corrupt table has certainly been seen and refused.
    for (let i = 0; i < 5; i++) {
      const res = await kvWorker.dispatchFetch('https://app.test/b')
      expect(res.status).toBe(200)
      expect(((await res.json()) as Echoed).server).toBe(gatewayId(B))
    }
  })
})
