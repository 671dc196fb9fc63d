// The Node edge over real sockets, in front of real echo backends on loopback.
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'undici'
import WebSocket from 'ws'
import { silentLogger } from '../../../edge/src/observability/logger'
import { createPrometheusMetrics } from '../../../edge/src/observability/prometheus-metrics'
import type { Filter, Route } from '../../../edge/src/route-table/types'
import { startNodeEdge, type NodeEdge } from '../../../edge/src/runtime/node'
import { RouteTableHolder } from '../../../edge/src/table/route-table-holder'
import { gatewayId, route, table } from '../../spec-cases/builder'
import { fieldLinesAsGoJoins, type Echoed } from './support/echo-server'
import { eventually } from './support/eventually'
import { startGateways, type LiveGateways } from './support/gateways'

const A = 'demo/a:80'
const B = 'demo/b:80'
const DOWN = 'demo/down:80'
const withAction = (r: Route, action: Partial<Route['action']>): Route => ({ ...r, action: { ...r.action, ...action } })
const redirect: Filter = { type: 'RequestRedirect', scheme: 'https', hostname: null, port: null, path: null, statusCode: 301 }
const responseHeaders: Filter = { type: 'ResponseHeaderModifier', set: [{ name: 'x-frame-options', value: 'DENY' }], add: [], remove: ['x-served-by'] }
const addRequestHeader: Filter = { type: 'RequestHeaderModifier', set: [], add: [{ name: 'X-Header-Add', value: 'add-appends-values' }], remove: [] }
const addResponseHeader: Filter = { type: 'ResponseHeaderModifier', set: [], add: [{ name: 'X-Served-By', value: 'add-appends-values' }], remove: [] }

const spec = table({
  'app.test': [
    route({ object: 'demo/a', prefix: '/a', backend: A }),
    route({ object: 'demo/b', prefix: '/b', backend: B }),
    route({ object: 'demo/redirect', exact: '/old', backend: [], filters: [redirect] }),
    withAction(route({ object: 'demo/slow', prefix: '/slow', backend: A }), { timeouts: { requestMs: 300, backendMs: null } }),
    withAction(route({ object: 'demo/retry', prefix: '/retry', backend: A }), { retry: { attempts: 3, onStatus: [503], backoffMs: 5 } }),
    route({ object: 'demo/down', prefix: '/down', backend: DOWN }),
    route({ object: 'demo/headers', prefix: '/headers', backend: A, filters: [responseHeaders] }),
    route({ object: 'demo/add', prefix: '/add', backend: A, filters: [addRequestHeader, addResponseHeader] }),
  ],
})

let gateways: LiveGateways
let tables: RouteTableHolder
let edge: NodeEdge
let base: string

const echoA = () => gateways.servers[gatewayId(A)]!
async function call(path: string, options: { method?: string; host?: string; headers?: Record<string, string>; body?: string | AsyncIterable<Uint8Array> } = {}) {
  const res = await request(`${base}${path}`, {
    method: (options.method ?? 'GET') as 'GET',
    headers: { host: options.host ?? 'app.test', ...options.headers },
    body: options.body as string | undefined,
  })
  const text = await res.body.text()
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) as Echoed & { error?: string; status?: number; requestId?: string } }
}
/** A raw HTTP/1.1 exchange, for request targets no client library would send. */
function raw(requestText: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(edge.address.port, '127.0.0.1', () => socket.write(requestText))
    let out = ''
    socket.on('data', (d) => (out += d.toString('latin1')))
    socket.on('end', () => resolve(out))
    socket.on('error', reject)
  })
}

beforeAll(async () => {
  gateways = await startGateways(spec, [gatewayId(DOWN)])
  const metrics = createPrometheusMetrics({ defaultMetrics: false })
  tables = new RouteTableHolder(silentLogger, metrics)
  edge = await startNodeEdge({ tables, metrics, logger: silentLogger, host: '127.0.0.1', port: 0, adminPort: 0 })
  base = `http://127.0.0.1:${edge.address.port}`
})
afterAll(async () => {
  await edge?.close()
  await gateways?.close()
})

describe('Node edge: before any table', () => {
  it('answers 503 with a JSON body and is not ready', async () => {
    const r = await call('/a')
    expect(r.status).toBe(503)
    expect(r.json()).toMatchObject({ status: 503, error: 'no route table loaded yet' })
    const ready = await request(`http://127.0.0.1:${edge.adminAddress!.port}/readyz`)
    expect(ready.statusCode).toBe(503)
    await ready.body.dump()
    expect(tables.load(gateways.table, 'test')).toMatchObject({ ok: true })
  })
})

describe('Node edge: forwarding', () => {
  it('forwards to the matching backend with Host kept and X-Forwarded-*, X-Request-Id added', async () => {
    const r = await call('/a/x?q=1', { headers: { 'x-forwarded-for': '198.51.100.9' } })
    expect(r.status).toBe(200)
    const echoed = r.json()
    expect(echoed.server).toBe(gatewayId(A))
    expect(echoed.url).toBe('/a/x?q=1')
    expect(echoed.headers.host).toBe('app.test')
    expect(echoed.headers['x-forwarded-for']).toBe('198.51.100.9, 127.0.0.1')
    expect(echoed.headers['x-forwarded-proto']).toBe('http')
    expect(echoed.headers['x-forwarded-host']).toBe('app.test')
    expect(echoed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(r.headers['x-request-id']).toBe(echoed.headers['x-request-id'])
  })

  it('keeps a valid incoming X-Request-Id and passes traceparent', async () => {
    const tp = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    const echoed = (await call('/b', { headers: { 'x-request-id': 'client-id-1', traceparent: tp } })).json()
    expect(echoed.server).toBe(gatewayId(B))
    expect(echoed.headers['x-request-id']).toBe('client-id-1')
    expect(echoed.headers.traceparent).toBe(tp)
  })

  it('drops hop-by-hop headers both ways', async () => {
    // Raw: client libraries refuse to send a Connection header naming other headers.
    const out = await raw('GET /a HTTP/1.1\r\nHost: app.test\r\nConnection: close, x-hop\r\nX-Hop: 1\r\nProxy-Authorization: Basic x\r\nTE: trailers\r\n\r\n')
    const [head, body] = out.split('\r\n\r\n') as [string, string]
    const echoed = JSON.parse(body.includes('{') ? body.slice(body.indexOf('{'), body.lastIndexOf('}') + 1) : '{}') as Echoed
    expect(echoed.server).toBe(gatewayId(A))
    expect(echoed.headers['x-hop']).toBeUndefined()
    expect(echoed.headers['proxy-authorization']).toBeUndefined()
    expect(echoed.headers.te).toBeUndefined()
    // The echo server answers with Keep-Alive: that belongs to its connection with the edge.
    expect(head.toLowerCase()).not.toContain('keep-alive: timeout')
  })

  it('streams a request body of unknown length to the backend', async () => {
    async function* chunks() {
      for (let i = 0; i < 50; i++) yield new TextEncoder().encode(`part ${i};`)
    }
    const echoed = (await call('/a/upload', { method: 'POST', body: chunks() })).json()
    expect(echoed.method).toBe('POST')
    expect(echoed.body).toBe(Array.from({ length: 50 }, (_, i) => `part ${i};`).join(''))
  })

  it('streams the request body to the backend while the backend already answers (full duplex)', async () => {
    // Raw socket: the second chunk is sent only after the first came back through the edge, so
    // an edge that buffered the request body would never answer.
    const socket = connect(edge.address.port, '127.0.0.1')
    let received = ''
    const seen = (text: string) => new Promise<void>((resolve, reject) => {
      const check = () => (received.includes(text) ? resolve() : undefined)
      socket.on('data', (d) => {
        received += d.toString('latin1')
        check()
      })
      socket.once('error', reject)
      check()
    })
    socket.write('POST /a/duplex HTTP/1.1\r\nHost: app.test\r\nX-Echo-Pipe: 1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n')
    socket.write('5\r\nfirst\r\n')
    await seen('first')
    expect(received).toMatch(/^HTTP\/1\.1 200/)
    socket.write('6\r\nsecond\r\n0\r\n\r\n')
    await new Promise((resolve) => socket.once('end', resolve))
    expect(received).toContain('second')
  })

  it('applies response header filters', async () => {
    const r = await call('/headers/x')
    expect(r.status).toBe(200)
    expect(r.headers['x-frame-options']).toBe('DENY')
    expect(r.headers['x-served-by']).toBeUndefined()
    expect(r.json().server).toBe(gatewayId(A))
  })

  it('appends added header values as the conformance suite reads them: old,new', async () => {
    const out = await raw('GET /add HTTP/1.1\r\nHost: app.test\r\nX-Header-Add: some-other-value\r\nConnection: close\r\n\r\n')
    const head = out.slice(0, out.indexOf('\r\n\r\n'))
    const echoed = JSON.parse(out.slice(out.indexOf('{'), out.lastIndexOf('}') + 1)) as Echoed
    expect(fieldLinesAsGoJoins(echoed.rawHeaders, 'x-header-add')).toBe('some-other-value,add-appends-values')
    const responseLines = head.split('\r\n').slice(1).map((line) => line.split(': ') as [string, string])
    expect(fieldLinesAsGoJoins(responseLines.flat(), 'x-served-by')).toBe(`${gatewayId(A)},add-appends-values`)
  })

  it('answers HEAD without a body', async () => {
    const r = await call('/a/head', { method: 'HEAD' })
    expect(r.status).toBe(200)
    expect(r.text).toBe('')
    expect(r.headers['x-served-by']).toBe(gatewayId(A))
  })

  it('stops the upstream exchange when the client goes away', async () => {
    const before = echoA().received.length
    const socket = connect(edge.address.port, '127.0.0.1', () => socket.write('GET /a/away HTTP/1.1\r\nHost: app.test\r\nX-Echo-Delay-Ms: 5000\r\n\r\n'))
    await eventually(async () => echoA().received.length, (n) => n > before, 'the request to reach the backend')
    const started = performance.now()
    socket.destroy()
    // The exchange ends (and is counted) at once, not when the backend would have answered.
    const metricsUrl = `http://127.0.0.1:${edge.adminAddress!.port}/metrics`
    await eventually(async () => (await request(metricsUrl)).body.text(), (text) => /edge_requests_total\{route="HTTPRoute\/demo\/a\/0\/0",status="502"\} 1/.test(text), 'the abandoned exchange to be counted')
    expect(performance.now() - started).toBeLessThan(2000)
    // The edge keeps serving, and its pool still works after the abandoned exchange.
    expect((await call('/a')).status).toBe(200)
  })

  it('streams the response body', async () => {
    const r = await call('/a/stream', { headers: { 'x-echo-stream': '5' } })
    expect(r.text).toBe('chunk 0\nchunk 1\nchunk 2\nchunk 3\nchunk 4\n')
  })

  it('passes an upstream redirect through instead of following it', async () => {
    const before = echoA().received.length
    const r = await call('/a/moved', { headers: { 'x-echo-status': '302', 'x-echo-location': 'http://169.254.169.254/latest/meta-data' } })
    expect(r.status).toBe(302)
    expect(r.headers.location).toBe('http://169.254.169.254/latest/meta-data')
    expect(echoA().received.length).toBe(before + 1)
  })

  it('answers a redirect route itself', async () => {
    const r = await call('/old?x=1')
    expect(r.status).toBe(301)
    expect(r.headers.location).toBe('https://app.test/old?x=1')
  })

  it('answers 404 with JSON for a host in no rule', async () => {
    const r = await call('/a', { host: 'nobody.test' })
    expect(r.status).toBe(404)
    expect(r.json()).toMatchObject({ status: 404, requestId: expect.any(String) })
    expect(r.headers['content-type']).toBe('application/json')
  })
})

describe('Node edge: failures', () => {
  it('a gateway that refuses connections gives 502 with a clear JSON error', async () => {
    const r = await call('/down')
    expect(r.status).toBe(502)
    expect(r.json().error).toMatch(/cannot connect to the gateway \(ECONNREFUSED\)/)
  })

  it('a slow gateway gives 504 at the route timeout', async () => {
    const r = await call('/slow', { headers: { 'x-echo-delay-ms': '5000' } })
    expect(r.status).toBe(504)
    expect(r.json().error).toMatch(/within 300 ms/)
  })

  it('retries a GET answered 503 and returns the success', async () => {
    const key = `get-${Math.random()}`
    const r = await call('/retry', { headers: { 'x-echo-fail-first': '2', 'x-echo-key': key } })
    expect(r.status).toBe(200)
    expect(echoA().received.filter((e) => e.headers['x-echo-key'] === key)).toHaveLength(3)
  })

  it('never retries a POST', async () => {
    const key = `post-${Math.random()}`
    const r = await call('/retry', { method: 'POST', body: 'payload', headers: { 'x-echo-fail-first': '2', 'x-echo-key': key } })
    expect(r.status).toBe(503)
    expect(echoA().received.filter((e) => e.headers['x-echo-key'] === key)).toHaveLength(1)
  })

  it('never retries a PUT whose body is streamed, but retries a small known-length one', async () => {
    async function* body() {
      yield new TextEncoder().encode('streamed')
    }
    const streamedKey = `put-stream-${Math.random()}`
    expect((await call('/retry', { method: 'PUT', body: body(), headers: { 'x-echo-fail-first': '1', 'x-echo-key': streamedKey } })).status).toBe(503)
    expect(echoA().received.filter((e) => e.headers['x-echo-key'] === streamedKey)).toHaveLength(1)
    const bufferedKey = `put-small-${Math.random()}`
    const r = await call('/retry', { method: 'PUT', body: 'small', headers: { 'x-echo-fail-first': '1', 'x-echo-key': bufferedKey } })
    expect(r.status).toBe(200)
    expect(echoA().received.filter((e) => e.headers['x-echo-key'] === bufferedKey).map((e) => e.body)).toEqual(['small', 'small'])
  })
})

describe('Node edge: hostile requests', () => {
  it('resolves encoded dot segments before matching and forwards the normalised path', async () => {
    const echoed = (await call('/b/%2e%2e/a/x')).json()
    expect(echoed.server).toBe(gatewayId(A))
    expect(echoed.url).toBe('/a/x')
  })

  it('keeps %2F encoded: it is not a separator, so /a%2Fx is not under /a', async () => {
    expect((await call('/a%2Fx')).status).toBe(404)
  })

  it('merges double slashes', async () => {
    const echoed = (await call('//a//x')).json()
    expect(echoed.server).toBe(gatewayId(A))
  })

  it('matches mixed-case hosts with a port and a trailing dot', async () => {
    const echoed = (await call('/a', { host: `APP.Test.:${edge.address.port}` })).json()
    expect(echoed.server).toBe(gatewayId(A))
  })

  it('routes an absolute-form target by its own authority, not by Host', async () => {
    const before = echoA().received.length
    const out = await raw('GET http://nobody.test/a HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n')
    expect(out).toMatch(/^HTTP\/1\.1 404/)
    expect(echoA().received.length).toBe(before)
  })

  it('answers 431 with JSON for oversized headers', async () => {
    const out = await raw(`GET /a HTTP/1.1\r\nHost: app.test\r\nX-Big: ${'x'.repeat(40_000)}\r\nConnection: close\r\n\r\n`)
    expect(out).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/)
    expect(out).toContain('"status":431')
  })

  it('answers 400 with JSON for more than one Host header, whichever comes first, and forwards nothing', async () => {
    const before = echoA().received.length
    for (const hosts of [['app.test', 'nobody.test'], ['nobody.test', 'app.test'], ['app.test', 'app.test']]) {
      const out = await raw(`GET /a HTTP/1.1\r\n${hosts.map((h) => `Host: ${h}\r\n`).join('')}Connection: close\r\n\r\n`)
      expect(out).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
      expect(out).toContain('"error":"more than one Host header"')
    }
    const upgrade = await raw('GET /a/ws HTTP/1.1\r\nHost: app.test\r\nhost: nobody.test\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n')
    expect(upgrade).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/)
    expect(echoA().received.length).toBe(before)
  })

  it('answers CONNECT with 405 and JSON: the edge is no forward proxy', async () => {
    const out = await raw(`CONNECT 127.0.0.1:${edge.address.port} HTTP/1.1\r\nHost: 127.0.0.1:${edge.address.port}\r\n\r\n`)
    expect(out).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/)
    expect(out).toContain('"status":405')
  })

  it('answers 400 for a malformed request line and keeps serving', async () => {
    expect(await raw('NOT A REQUEST\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/)
    expect((await call('/a')).status).toBe(200)
  })
})

describe('Node edge: WebSocket', () => {
  it('proxies an upgrade to the gateway and relays messages both ways', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${edge.address.port}/a/ws`, { headers: { host: 'app.test' } })
    const messages: string[] = []
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        messages.push(String(data))
        if (messages.length === 1) socket.send('ping')
        else resolve()
      })
      socket.on('error', reject)
    })
    socket.close()
    expect(JSON.parse(messages[0]!)).toMatchObject({ server: gatewayId(A), url: '/a/ws', host: 'app.test' })
    expect(messages[1]).toBe('echo: ping')
  })

  it('refuses an upgrade for a host in no rule with a 404', async () => {
    const socket = new WebSocket(`ws://127.0.0.1:${edge.address.port}/a`, { headers: { host: 'nobody.test' } })
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))
    expect(status).toBe(404)
  })
})

describe('Node edge: table swaps and the admin port', () => {
  it('refuses a corrupt table, counts it, and keeps serving the last good one', async () => {
    const result = tables.load('{"schemaVersion": 1, "hosts": [', 'test')
    expect(result.ok).toBe(false)
    expect((await call('/a')).status).toBe(200)
    const metrics = await (await request(`http://127.0.0.1:${edge.adminAddress!.port}/metrics`)).body.text()
    expect(metrics).toMatch(/edge_route_table_loads_total\{result="refused"\} 1/)
    expect(metrics).toMatch(/edge_route_table_loads_total\{result="accepted"\} 1/)
    expect(metrics).toContain(`edge_route_table_info{revision="${gateways.table.revision}"} 1`)
    expect(metrics).toMatch(/edge_requests_total\{route="HTTPRoute\/demo\/a\/0\/0",status="200"\}/)
  })

  it('serves health and readiness on the admin port, and never metrics on the public one', async () => {
    const admin = `http://127.0.0.1:${edge.adminAddress!.port}`
    expect((await request(`${admin}/healthz`)).statusCode).toBe(200)
    expect((await request(`${admin}/readyz`)).statusCode).toBe(200)
    const pub = await call('/metrics')
    expect(pub.status).toBe(404)
    expect(pub.text).not.toContain('edge_requests_total')
  })
})
