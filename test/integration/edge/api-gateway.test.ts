// API-gateway policies on the real runtimes (Node over sockets, workerd via miniflare, the Lambda
// handler, Lambda@Edge): API keys (the table holds only their SHA-256), JWTs checked against a
// JWKS served over HTTP by a local issuer with keys made for the test, rate limits (429 with
// Retry-After), request size limits (413, declared and streamed), each refusal a JSON body.
// docs/api-gateway.md describes what these tests check.
import type { CloudFrontRequest, CloudFrontResultResponse } from 'aws-lambda'
import { Miniflare } from 'miniflare'
import { Readable } from 'node:stream'
import { Agent, request } from 'undici'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../edge/src/observability/logger'
import { sha256Hex } from '../../../edge/src/route-table/sha256'
import type { Filter, RouteTable } from '../../../edge/src/route-table/types'
import { createLambdaHandler } from '../../../edge/src/runtime/aws-lambda'
import { bundleEdge } from '../../../edge/src/runtime/build/bundle'
import { createOriginRequestHandler } from '../../../edge/src/runtime/lambda-edge'
import { startNodeEdge, type NodeEdge } from '../../../edge/src/runtime/node'
import { RouteTableHolder } from '../../../edge/src/table/route-table-holder'
import { gatewayId, route, table } from '../../spec-cases/builder'
import type { Echoed } from './support/echo-server'
import { startGateways, type LiveGateways } from './support/gateways'
import { startIssuer, type Issuer } from './support/jwks-server'
import { functionUrlEvent, originRequestEvent } from './support/lambda-events'
import { repointGateways } from './support/repoint'
import { startSilentServer, type SilentServer } from './support/silent-server'

/** The API key clients send; the table carries only its SHA-256. */
const API_KEY = 'k-3f9c2d7e51a04b8c'
const API = 'shop/api:80'
const SINK = 'shop/sink:80'
const ORIGIN = 'https://app.test'

const limit = (bucket: string, o: Partial<Extract<Filter, { type: 'RateLimit' }>> = {}): Filter => ({
  type: 'RateLimit', bucket, requests: 2, periodSeconds: 60, burst: 2, key: { type: 'ClientAddress' }, workersBinding: null, ...o,
})

interface World {
  table: RouteTable
  gateways: LiveGateways
  sink: SilentServer
  issuer: Issuer
  close(): Promise<void>
}

async function startWorld(): Promise<World> {
  const issuer = await startIssuer()
  const keyed: Filter = { type: 'Authentication', realm: 'shop', apiKey: { header: 'x-api-key', keys: [{ name: 'ci', sha256: await sha256Hex(API_KEY) }] }, jwt: null }
  const jwt: Filter = {
    type: 'Authentication', realm: 'shop', apiKey: null,
    jwt: { issuer: issuer.issuer, audiences: ['shop'], jwksUrl: issuer.jwksUrl, algorithms: ['RS256', 'ES256'], clockSkewSeconds: 0, jwksCacheSeconds: 300 },
  }
  const cors: Filter = { type: 'CORS', allowOrigins: [ORIGIN], allowMethods: ['GET', 'POST'], allowHeaders: ['x-api-key'], exposeHeaders: [], allowCredentials: false, maxAgeSeconds: 60 }
  const spec = table({
    'api.test': [
      route({ object: 'shop/keyed', prefix: '/keyed', backend: API, filters: [keyed, cors] }),
      route({ object: 'shop/jwt', prefix: '/jwt', backend: API, filters: [jwt] }),
      route({ object: 'shop/limited', prefix: '/limited', backend: API, filters: [limit('HTTPRoute/shop/limited')] }),
      route({ object: 'shop/tenant', prefix: '/tenant', backend: API, filters: [limit('HTTPRoute/shop/tenant', { burst: 1, key: { type: 'Header', name: 'x-tenant' } })] }),
      route({ object: 'shop/bound', prefix: '/bound', backend: API, filters: [limit('HTTPRoute/shop/bound', { burst: 100, requests: 100, workersBinding: 'API_LIMIT' })] }),
      route({ object: 'shop/small', prefix: '/small', backend: API, filters: [{ type: 'RequestBodyLimit', maxBytes: 16 }] }),
      route({ object: 'shop/small-sink', prefix: '/sink', backend: SINK, filters: [{ type: 'RequestBodyLimit', maxBytes: 16 }] }),
    ],
  })
  const gateways = await startGateways(spec, [gatewayId(SINK)])
  const sink = await startSilentServer()
  return {
    table: await repointGateways(gateways.table, { [gatewayId(SINK)]: sink.port }),
    gateways,
    sink,
    issuer,
    close: async () => {
      await Promise.all([gateways.close(), sink.close(), issuer.close()])
    },
  }
}

interface Sent {
  status: number
  headers: Headers
  json: () => Echoed & { error?: string; status?: number; requestId?: string }
}
interface Call {
  path: string
  method?: string
  headers?: Record<string, string>
  body?: string
  /** Send the body without a Content-Length (chunked where the runtime streams). */
  streamed?: boolean
  /** The client's address, as the runtime sees it. */
  client?: string
}
interface Runtime {
  name: string
  start(world: World): Promise<{ send(call: Call): Promise<Sent>; stop(): Promise<void> }>
}

const chunked = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < text.length; i += 8) controller.enqueue(new TextEncoder().encode(text.slice(i, i + 8)))
      controller.close()
    },
  })
const sentFrom = async (status: number, headers: Headers, text: string): Promise<Sent> => ({ status, headers, json: () => JSON.parse(text) })

const node: Runtime = {
  name: 'Node (real sockets)',
  async start(world) {
    const tables = new RouteTableHolder(silentLogger, { request() {}, upstream() {}, tableLoad() {} })
    tables.load(world.table, 'test')
    const edge: NodeEdge = await startNodeEdge({ tables, logger: silentLogger, host: '127.0.0.1', port: 0, adminPort: 0 })
    // A client's address on loopback is the source address of its connection: one agent per address.
    const agents = new Map<string, Agent>()
    const agentFor = (address: string) => agents.get(address) ?? agents.set(address, new Agent({ localAddress: address })).get(address)!
    return {
      async send(call) {
        const res = await request(`http://127.0.0.1:${edge.address.port}${call.path}`, {
          dispatcher: agentFor(call.client ?? '127.0.0.1'),
          method: (call.method ?? 'GET') as 'GET',
          headers: { host: 'api.test', ...call.headers },
          body: call.body === undefined ? undefined : call.streamed ? Readable.from([call.body]) : call.body,
        })
        const headers = new Headers()
        for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? []].flat()) headers.append(name, v)
        return sentFrom(res.statusCode, headers, await res.body.text())
      },
      async stop() {
        await Promise.all([...agents.values()].map((a) => a.close()))
        await edge.close()
      },
    }
  },
}

const workers: Runtime = {
  name: 'Cloudflare Workers (workerd via miniflare)',
  async start(world) {
    const { code } = await bundleEdge({ runtime: 'cloudflare-workers', snapshot: world.table })
    // API_LIMIT allows 1 request a minute; the /bound route's own bucket would allow 100.
    const mf = new Miniflare({ modules: true, script: code, compatibilityDate: '2025-01-01', ratelimits: { API_LIMIT: { simple: { limit: 1, period: 60 } } } })
    return {
      async send(call) {
        const res = await mf.dispatchFetch(`https://api.test${call.path}`, {
          method: call.method ?? 'GET',
          // Cloudflare sets CF-Connecting-IP itself; a client cannot choose it.
          // miniflare sends a string body chunked unless told its length, as a client would.
          headers: { 'cf-connecting-ip': call.client ?? '203.0.113.1', ...(call.body !== undefined && !call.streamed ? { 'content-length': String(Buffer.byteLength(call.body)) } : {}), ...call.headers },
          body: call.body === undefined ? undefined : call.streamed ? (chunked(call.body) as never) : call.body,
          ...(call.streamed ? { duplex: 'half' } : {}),
        })
        return sentFrom(res.status, new Headers([...res.headers]), await res.text())
      },
      stop: () => mf.dispose(),
    }
  },
}

const lambda: Runtime = {
  name: 'AWS Lambda (Function URL handler)',
  async start(world) {
    const handler = createLambdaHandler({ snapshot: world.table, source: null, logger: silentLogger, clientAddressHeader: null })
    return {
      async send(call) {
        const headers: Record<string, string> = { ...call.headers }
        if (call.body !== undefined && !call.streamed) headers['content-length'] = String(Buffer.byteLength(call.body))
        const event = functionUrlEvent({ path: call.path, method: call.method, viewerHost: 'api.test', headers, body: call.body })
        event.requestContext.http.sourceIp = call.client ?? '198.51.100.1'
        const result = await handler(event)
        const out = new Headers()
        for (const [name, value] of Object.entries(result.headers ?? {})) out.append(name, String(value))
        for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) for (const v of values as string[]) if (!out.has(name)) out.append(name, String(v))
        return sentFrom(result.statusCode, out, result.body ?? '')
      },
      stop: async () => {},
    }
  },
}

for (const runtime of [node, workers, lambda]) {
  describe(`API-gateway policies on ${runtime.name}`, () => {
    let world: World
    let edge: Awaited<ReturnType<Runtime['start']>>
    const backend = () => world.gateways.servers[gatewayId(API)]!

    beforeAll(async () => {
      world = await startWorld()
      edge = await runtime.start(world)
    })
    afterAll(async () => {
      await edge?.stop()
      await world?.close()
    })

    it('API key: 401 with challenges, a JSON body and CORS headers without it; the key never reaches the backend', async () => {
      const missing = await edge.send({ path: '/keyed/orders', headers: { origin: ORIGIN } })
      expect(missing.status).toBe(401)
      expect(missing.headers.get('www-authenticate')).toBe('APIKey realm="shop", header="x-api-key"')
      expect(missing.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(missing.json()).toMatchObject({ status: 401, error: 'authentication required: send an API key in x-api-key' })
      const wrong = await edge.send({ path: '/keyed/orders', headers: { 'x-api-key': 'k-guessed-0000' } })
      expect(wrong.status).toBe(401)
      expect(JSON.stringify(wrong.json())).not.toContain('k-guessed-0000')
      const ok = await edge.send({ path: '/keyed/orders', headers: { 'x-api-key': API_KEY } })
      expect(ok.status).toBe(200)
      expect(ok.json().url).toBe('/keyed/orders')
      expect(ok.json().headers['x-api-key']).toBeUndefined()
      expect(backend().received.filter((r) => r.url.startsWith('/keyed'))).toHaveLength(1)
    })

    it('API key route: the CORS preflight is answered without credentials', async () => {
      const preflight = await edge.send({ path: '/keyed/orders', method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key' } })
      expect(preflight.status).toBe(200)
      expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN)
      expect(preflight.headers.get('access-control-allow-headers')).toBe('x-api-key')
    })

    it('JWT: RS256 and ES256 tokens from the issuer pass; expired, forged and foreign-audience ones get 401; the JWKS is fetched once', async () => {
      const before = world.issuer.fetches()
      for (const alg of ['RS256', 'ES256'] as const) {
        const token = await world.issuer.sign({ alg })
        const ok = await edge.send({ path: '/jwt/me', headers: { authorization: `Bearer ${token}` } })
        expect(ok.status).toBe(200)
        expect(ok.json().headers.authorization).toBe(`Bearer ${token}`)
      }
      const refused: [string, RegExp][] = [
        [await world.issuer.sign({ expiresIn: '-2m' }), /"exp" claim timestamp check failed/],
        [await world.issuer.forge(), /signature verification failed/],
        [await world.issuer.sign({ audience: 'billing' }), /unexpected "aud" claim value/],
      ]
      for (const [token, why] of refused) {
        const r = await edge.send({ path: '/jwt/me', headers: { authorization: `Bearer ${token}` } })
        expect(r.status).toBe(401)
        expect(r.json().error).toMatch(why)
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer realm="shop", error="invalid_token"/)
      }
      const none = await edge.send({ path: '/jwt/me' })
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="shop"')
      expect(world.issuer.fetches() - before).toBe(1)
    })

    it('rate limit per client address: 429 with Retry-After and JSON after the burst; a forged X-Forwarded-For changes nothing', async () => {
      for (let i = 0; i < 2; i++) expect((await edge.send({ path: '/limited/a' })).status).toBe(200)
      const limited = await edge.send({ path: '/limited/a' })
      expect(limited.status).toBe(429)
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(29)
      expect(limited.json()).toMatchObject({ status: 429, error: expect.stringMatching(/^rate limit exceeded: 2 requests per 60 s/) })
      for (const forged of ['198.51.100.77', '10.1.2.3, 10.9.9.9']) expect((await edge.send({ path: '/limited/a', headers: { 'x-forwarded-for': forged } })).status).toBe(429)
      // Another client has its own bucket.
      expect((await edge.send({ path: '/limited/a', client: runtime === node ? '127.0.0.2' : '203.0.113.99' })).status).toBe(200)
    })

    it('rate limit per header value: each tenant has its own bucket, a request without the header counts for its address', async () => {
      expect((await edge.send({ path: '/tenant/x', headers: { 'x-tenant': 'acme' } })).status).toBe(200)
      expect((await edge.send({ path: '/tenant/x', headers: { 'x-tenant': 'acme' } })).status).toBe(429)
      expect((await edge.send({ path: '/tenant/x', headers: { 'x-tenant': 'globex' } })).status).toBe(200)
      expect((await edge.send({ path: '/tenant/x' })).status).toBe(200)
      expect((await edge.send({ path: '/tenant/x' })).status).toBe(429)
    })

    it('body limit: a declared length over it gets 413 before the backend sees anything; a body within it passes', async () => {
      const before = backend().received.length
      const big = await edge.send({ path: '/small/upload', method: 'POST', body: 'x'.repeat(17) })
      expect(big.status).toBe(413)
      expect(big.json()).toMatchObject({ status: 413, error: 'the request body is larger than 16 bytes' })
      expect(backend().received.length).toBe(before)
      const fits = await edge.send({ path: '/small/upload', method: 'POST', body: 'y'.repeat(16) })
      expect(fits.status).toBe(200)
      expect(fits.json().body).toBe('y'.repeat(16))
    })

    it('body limit: a body of unknown length is cut off at the limit with 413; one within it streams through', async () => {
      const cut = await edge.send({ path: '/sink/upload', method: 'POST', body: 'z'.repeat(64), streamed: true })
      expect(cut.status).toBe(413)
      expect(cut.json().error).toBe('the request body is larger than 16 bytes')
      const fits = await edge.send({ path: '/small/upload', method: 'POST', body: 'w'.repeat(16), streamed: true })
      expect(fits.status).toBe(200)
      expect(fits.json().body).toBe('w'.repeat(16))
    })
  })
}

describe('rate limit on Workers with the Rate Limiting binding', () => {
  let world: World
  let edge: Awaited<ReturnType<Runtime['start']>>
  beforeAll(async () => {
    world = await startWorld()
    edge = await workers.start(world)
  })
  afterAll(async () => {
    await edge?.stop()
    await world?.close()
  })

  it('counts with the binding the route names (1 a minute) instead of the in-memory bucket (100)', async () => {
    expect((await edge.send({ path: '/bound/a' })).status).toBe(200)
    const limited = await edge.send({ path: '/bound/a' })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBe('60')
  })
})

describe('Lambda behind CloudFront: the client address from CloudFront-Viewer-Address', () => {
  let world: World
  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(async () => world?.close())

  it('counts each viewer on its own although every event comes from the same CloudFront address', async () => {
    const handler = createLambdaHandler({ snapshot: world.table, source: null, logger: silentLogger, clientAddressHeader: 'cloudfront-viewer-address' })
    const from = (viewer: string) => handler(functionUrlEvent({ path: '/limited/a', viewerHost: 'api.test', headers: { 'cloudfront-viewer-address': viewer } }))
    expect((await from('192.0.2.10:40000')).statusCode).toBe(200)
    expect((await from('192.0.2.10:40001')).statusCode).toBe(200)
    const third = await from('192.0.2.10:40002')
    expect(third.statusCode).toBe(429)
    expect((await from('192.0.2.11:40000')).statusCode).toBe(200)
    // The viewer, not CloudFront, is what the backend sees appended to X-Forwarded-For.
    const echoed = JSON.parse((await from('192.0.2.12:1')).body) as Echoed
    expect(String(echoed.headers['x-forwarded-for'])).toMatch(/, 192\.0\.2\.12$/)
  })
})

describe('Lambda@Edge origin-request: policies answered by the edge function', () => {
  let world: World
  let handler: ReturnType<typeof createOriginRequestHandler>
  beforeAll(async () => {
    world = await startWorld()
    handler = createOriginRequestHandler({ snapshot: world.table, source: null, logger: silentLogger })
  })
  afterAll(async () => world?.close())

  it('generates the 401 and the 429; an accepted request goes to the gateway without the API key', async () => {
    const refused = (await handler(originRequestEvent({ uri: '/keyed/x', host: 'api.test' }))) as CloudFrontResultResponse
    expect(refused.status).toBe('401')
    expect(JSON.parse(refused.body!)).toMatchObject({ status: 401 })
    const accepted = (await handler(originRequestEvent({ uri: '/keyed/x', host: 'api.test', headers: { 'X-Api-Key': API_KEY } }))) as CloudFrontRequest
    expect(accepted.origin?.custom?.port).toBe(world.table.gateways[gatewayId(API)]!.port)
    expect(accepted.headers['x-api-key']).toBeUndefined()
    for (let i = 0; i < 2; i++) expect(((await handler(originRequestEvent({ uri: '/limited/a', host: 'api.test' }))) as CloudFrontRequest).origin).toBeDefined()
    expect(((await handler(originRequestEvent({ uri: '/limited/a', host: 'api.test' }))) as CloudFrontResultResponse).status).toBe('429')
  })

  it('answers 411 for a body of unknown length on a route with a size limit (CloudFront carries the body)', async () => {
    const r = (await handler(originRequestEvent({ uri: '/small/x', host: 'api.test', method: 'POST' }))) as CloudFrontResultResponse
    expect(r.status).toBe('411')
    const declared = (await handler(originRequestEvent({ uri: '/small/x', host: 'api.test', method: 'POST', headers: { 'Content-Length': '17' } }))) as CloudFrontResultResponse
    expect(declared.status).toBe('413')
  })
})

describe('Node: a WebSocket upgrade passes the route policies like any request', () => {
  let world: World
  let edge: NodeEdge
  beforeAll(async () => {
    world = await startWorld()
    const tables = new RouteTableHolder(silentLogger, { request() {}, upstream() {}, tableLoad() {} })
    tables.load(world.table, 'test')
    edge = await startNodeEdge({ tables, logger: silentLogger, host: '127.0.0.1', port: 0, adminPort: null })
  })
  afterAll(async () => {
    await edge?.close()
    await world?.close()
  })
  /** 101 when the socket opened (and the backend greeted it), else the status the edge answered. */
  const upgrade = (headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`ws://127.0.0.1:${edge.address.port}/keyed/live`, { headers: { host: 'api.test', ...headers } })
      socket.once('message', () => {
        socket.close()
        resolve(101)
      })
      socket.once('unexpected-response', (_request, response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
      })
      socket.once('error', reject)
    })

  it('refuses the upgrade without the API key (401) and splices it with the key', async () => {
    expect(await upgrade({})).toBe(401)
    expect(await upgrade({ 'x-api-key': 'k-wrong' })).toBe(401)
    expect(await upgrade({ 'x-api-key': API_KEY })).toBe(101)
  })
})
