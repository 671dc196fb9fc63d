// The endpoint's protocol over real loopback sockets, read by the edge's own HTTP source.
import { gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { createHttpRouteTableSource } from '../../../../edge/src/adapters/http-route-table-source'
import { withRevision } from '../../../../edge/src/route-table/revision'
import type { RouteTable } from '../../../../edge/src/route-table/types'
import { RouteTableEndpoint, ROUTE_TABLE_PATH } from './route-table-endpoint'

const table = (host: string): Promise<RouteTable> => withRevision({ schemaVersion: 1, gateways: {}, hosts: [{ hostname: host, routes: [] }], fallback: null })
let endpoint: RouteTableEndpoint
const url = (query = '') => `http://127.0.0.1:${endpoint.port}${ROUTE_TABLE_PATH}${query}`

afterEach(async () => endpoint?.close())

describe('RouteTableEndpoint', () => {
  it('answers 503 before the first table, then 200 with the table and its ETag, then 304 for that ETag', async () => {
    endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
    const before = await fetch(url())
    expect(before.status).toBe(503)
    expect(await before.json()).toEqual({ error: 'no route table published yet' })
    const one = await table('a.example')
    await endpoint.publish(one, JSON.stringify(one))
    const ok = await fetch(url())
    expect(ok.status).toBe(200)
    expect(ok.headers.get('etag')).toBe(`"${one.revision}"`)
    expect(await ok.json()).toEqual(one)
    const same = await fetch(url(), { headers: { 'if-none-match': `"${one.revision}"` } })
    expect(same.status).toBe(304)
    const weak = await fetch(url(), { headers: { 'if-none-match': `"other", W/"${one.revision}"` } })
    expect(weak.status).toBe(304)
  })

  it('holds a long-poll until a new revision is published', async () => {
    endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
    const one = await table('a.example')
    await endpoint.publish(one, JSON.stringify(one))
    const started = performance.now()
    const held = fetch(url('?wait=20'), { headers: { 'if-none-match': `"${one.revision}"` } })
    await new Promise((r) => setTimeout(r, 150))
    const two = await table('b.example')
    await endpoint.publish(two, JSON.stringify(two))
    const answer = await held
    expect(answer.status).toBe(200)
    expect((await answer.json()).revision).toBe(two.revision)
    const elapsed = performance.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(140)
    expect(elapsed).toBeLessThan(5_000)
  })

  it('answers 304 when the wait runs out, and holds a first read until something is published', async () => {
    endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
    const first = fetch(url('?wait=10'))
    await new Promise((r) => setTimeout(r, 50))
    const one = await table('a.example')
    await endpoint.publish(one, JSON.stringify(one))
    expect((await first).status).toBe(200)
    const started = performance.now()
    const timedOut = await fetch(url('?wait=0.3'), { headers: { 'if-none-match': `"${one.revision}"` } })
    expect(timedOut.status).toBe(304)
    expect(performance.now() - started).toBeGreaterThanOrEqual(250)
  })

  it('compresses for clients that accept gzip', async () => {
    endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
    const one = await table('a.example')
    await endpoint.publish(one, JSON.stringify(one))
    const { request } = await import('undici')
    const res = await request(url(), { headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(gunzipSync(Buffer.from(await res.body.arrayBuffer())).toString())).toEqual(one)
  })

  it('refuses other paths, methods and waits with a JSON error', async () => {
    endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
    expect((await fetch(`http://127.0.0.1:${endpoint.port}/`)).status).toBe(404)
    expect((await fetch(url(), { method: 'POST', body: '{}' })).status).toBe(405)
    const bad = await fetch(url('?wait=forever'))
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatch(/wait must be a number of seconds/)
  })

  it('says which address is taken', async () => {
    endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
    await expect(RouteTableEndpoint.start('127.0.0.1', endpoint.port)).rejects.toThrow(/already in use/)
  })
})

describe('the edge HTTP source against the endpoint', () => {
  it('reads the table, then long-polls: unchanged after the wait, the new table as soon as it is published', async () => {
    endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
    const source = createHttpRouteTableSource(url(), { waitSeconds: 1 })
    expect(source.blocking).toBe(true)
    const one = await table('a.example')
    await endpoint.publish(one, JSON.stringify(one))
    const first = await source.read(null)
    expect(first).toMatchObject({ kind: 'table', tag: `"${one.revision}"` })
    expect(await source.read(`"${one.revision}"`)).toEqual({ kind: 'unchanged' })
    const pending = source.read(`"${one.revision}"`)
    const two = await table('b.example')
    await endpoint.publish(two, JSON.stringify(two))
    const next = await pending
    expect(next.kind === 'table' && JSON.parse(next.text).revision).toBe(two.revision)
  })

  it('reports nothing published as missing and other answers as errors', async () => {
    endpoint = await RouteTableEndpoint.start('127.0.0.1', 0)
    expect(await createHttpRouteTableSource(url(), { waitSeconds: 0 }).read(null)).toEqual({ kind: 'missing' })
    await expect(createHttpRouteTableSource(url('?wait=nope'), { waitSeconds: 0 }).read(null)).rejects.toThrow(/HTTP 400/)
  })
})
