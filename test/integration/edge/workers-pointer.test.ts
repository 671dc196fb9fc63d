// The Workers edge on real workerd reading what the controller's object-store layout holds in
// KV: a pointer at the configured key and the table under its revision key. A new pointer
// moves the edge; a pointer to a key that is not there leaves it on the last good table.
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleEdge } from '../../../edge/src/runtime/build/bundle'
import { withRevision } from '../../../edge/src/route-table/revision'
import { clusterTableKey, pointerFor, revisionKey } from '../../../edge/src/route-table/store-layout'
import { gatewayId, route, table } from '../../spec-cases/builder'
import type { Echoed } from './support/echo-server'
import { eventually } from './support/eventually'
import { startGateways, type LiveGateways } from './support/gateways'

const KEY = clusterTableKey('prod')
let gateways: LiveGateways
let worker: Miniflare
let kv: { put(key: string, value: string): Promise<void> }

beforeAll(async () => {
  gateways = await startGateways(table({ 'app.test': [route({ object: 'demo/a', prefix: '/', backend: 'demo/a:80' })], 'other.test': [route({ object: 'demo/b', prefix: '/', backend: 'demo/b:80' })] }))
  const { code } = await bundleEdge({ runtime: 'cloudflare-workers' })
  worker = new Miniflare({ modules: true, script: code, compatibilityDate: '2025-01-01', kvNamespaces: ['ROUTE_TABLE'], bindings: { ROUTE_TABLE_KEY: KEY, ROUTE_TABLE_REFRESH_SECONDS: '0' } })
  kv = (await worker.getKVNamespace('ROUTE_TABLE')) as unknown as typeof kv
})
afterAll(async () => {
  await worker?.dispose()
  await gateways?.close()
})

async function publish(content: typeof gateways.table): Promise<void> {
  await kv.put(revisionKey('prod', content.revision), JSON.stringify(content))
  await kv.put(KEY, JSON.stringify(pointerFor('prod', content.revision, new Date())))
}

const fetchStatus = async (url: string) => {
  const res = await worker.dispatchFetch(url)
  return { status: res.status, body: await res.text() }
}

describe('Workers edge on a KV pointer', () => {
  it('follows the pointer to the revision, moves with a new pointer, and stays put on a dangling one', async () => {
    await publish(gateways.table)
    const first = await eventually(() => fetchStatus('https://app.test/x'), (r) => r.status === 200, 'the table behind the pointer to be served')
    expect((JSON.parse(first.body) as Echoed).server).toBe(gatewayId('demo/a:80'))

    // A second revision that drops app.test.
    const { revision: _r, ...content } = gateways.table
    const smaller = await withRevision({ ...content, hosts: content.hosts.filter((h) => h.hostname !== 'app.test') })
    await publish(smaller)
    await eventually(() => fetchStatus('https://app.test/x'), (r) => r.status === 404, 'the new revision (without app.test) to be served')

    await kv.put(KEY, JSON.stringify(pointerFor('prod', 'dead0000', new Date())))
    for (let i = 0; i < 5; i++) {
      expect((await fetchStatus('https://other.test/')).status).toBe(200)
      expect((await fetchStatus('https://app.test/x')).status).toBe(404)
    }
  })
})
