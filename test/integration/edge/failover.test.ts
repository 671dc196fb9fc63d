// Multi-cluster failover on the real runtimes: a route whose backends span several gateways,
// one of which refuses connections (a closed loopback port) or accepts and never answers (a
// silent server). The edge moves the request to the working gateway, ejects the failing one
// for its cool-down, and counts it: Prometheus on Node, the metrics port on Lambda, log lines
// on workerd. docs/multi-cluster.md describes the rules these tests check.
import { Miniflare } from 'miniflare'
import type { Readable } from 'node:stream'
import { request } from 'undici'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { UpstreamFailure } from '../../../edge/src/forward/forwarder'
import type { EdgeMetrics } from '../../../edge/src/observability/metrics'
import { silentLogger } from '../../../edge/src/observability/logger'
import type { Route, RouteTable } from '../../../edge/src/route-table/types'
import { bundleEdge } from '../../../edge/src/runtime/build/bundle'
import { createLambdaHandler } from '../../../edge/src/runtime/aws-lambda'
import { startNodeEdge, type NodeEdge } from '../../../edge/src/runtime/node'
import { RouteTableHolder } from '../../../edge/src/table/route-table-holder'
import { gatewayId, route, table } from '../../spec-cases/builder'
import { CapturedLogs } from './support/captured-logs'
import type { Echoed } from './support/echo-server'
import { eventually } from './support/eventually'
import { startGateways, type LiveGateways } from './support/gateways'
import { repointGateways } from './support/repoint'
import { startSilentServer, type SilentServer } from './support/silent-server'

const OK = 'demo/web:80'
const DOWN = 'demo/web-down:80'
const DOWN2 = 'demo/web-down2:80'
const DOWN3 = 'demo/web-down3:80'
const SILENT = 'demo/web-silent:80'
const SILENT_POST = 'demo/web-silent-post:80'
/** The failing gateway's weight dwarfs the working one's: the first pick is (all but) certainly the failing one. */
const HEAVY = 1_000_000
const timed = (r: Route, requestMs: number): Route => ({ ...r, action: { ...r.action, timeouts: { requestMs, backendMs: null } } })

interface World {
  table: RouteTable
  gateways: LiveGateways
  silent: SilentServer
  silentPost: SilentServer
  close(): Promise<void>
}

/** Fresh gateways for each runtime, so that one runtime's ejections never meet another's. */
async function startWorld(): Promise<World> {
  const spec = table({
    'app.test': [
      route({ object: 'demo/refuse', prefix: '/refuse', backend: [{ ref: DOWN, weight: HEAVY }, { ref: OK, weight: 1 }] }),
      timed(route({ object: 'demo/silent', prefix: '/silent', backend: [{ ref: SILENT, weight: HEAVY }, { ref: OK, weight: 1 }] }), 1000),
      timed(route({ object: 'demo/silent-post', prefix: '/silent-post', backend: [{ ref: SILENT_POST, weight: HEAVY }, { ref: OK, weight: 1 }] }), 600),
      route({ object: 'demo/all-down', prefix: '/all-down', backend: [DOWN2, DOWN3] }),
    ],
  })
  const gateways = await startGateways(spec, [gatewayId(DOWN), gatewayId(DOWN2), gatewayId(DOWN3), gatewayId(SILENT), gatewayId(SILENT_POST)])
  const silent = await startSilentServer()
  const silentPost = await startSilentServer()
  return {
    table: await repointGateways(gateways.table, { [gatewayId(SILENT)]: silent.port, [gatewayId(SILENT_POST)]: silentPost.port }),
    gateways,
    silent,
    silentPost,
    close: async () => {
      await Promise.all([gateways.close(), silent.close(), silentPost.close()])
    },
  }
}

describe('failover on Node (real sockets, Prometheus metrics)', () => {
  let world: World
  let edge: NodeEdge
  let restoring: NodeEdge

  async function call(target: NodeEdge, path: string, init: { method?: string; body?: string } = {}) {
    const started = performance.now()
    const res = await request(`http://127.0.0.1:${target.address.port}${path}`, { method: (init.method ?? 'GET') as 'GET', headers: { host: 'app.test' }, body: init.body })
    const text = await res.body.text()
    return { status: res.statusCode, ms: performance.now() - started, json: () => JSON.parse(text) as Echoed & { error?: string } }
  }
  async function metric(target: NodeEdge, line: string): Promise<number | null> {
    const res = await request(`http://127.0.0.1:${target.adminAddress!.port}/metrics`)
    const text = await res.body.text()
    const found = text.split('\n').find((l) => l.startsWith(`${line} `))
    return found === undefined ? null : Number(found.slice(line.length + 1))
  }
  const down = gatewayId(DOWN)
  const ok = gatewayId(OK)

  beforeAll(async () => {
    world = await startWorld()
    const start = async (gatewayCoolDownMs: number) => {
      const tables = new RouteTableHolder(silentLogger, { request() {}, upstream() {}, tableLoad() {} })
      tables.load(world.table, 'test')
      return startNodeEdge({ tables, logger: silentLogger, host: '127.0.0.1', port: 0, adminPort: 0, gatewayCoolDownMs })
    }
    edge = await start(60_000)
    restoring = await start(300)
  })
  afterAll(async () => {
    await edge?.close()
    await restoring?.close()
    await world?.close()
  })

  it('a POST to a gateway that refuses moves to the other gateway (the request never left the edge)', async () => {
    const r = await call(edge, '/refuse/order', { method: 'POST', body: '{"item":1}' })
    expect(r.status).toBe(200)
    expect(r.json()).toMatchObject({ server: ok, method: 'POST', body: '{"item":1}' })
    expect(await metric(edge, `edge_gateway_failures_total{gateway="${down}",failure="connect"}`)).toBe(1)
    expect(await metric(edge, `edge_gateway_failovers_total{from="${down}",to="${ok}"}`)).toBe(1)
  })

  it('the refusing gateway stays ejected for its cool-down: later requests go straight to the working one', async () => {
    for (let i = 0; i < 10; i++) expect((await call(edge, `/refuse/${i}`)).json().server).toBe(ok)
    expect(await metric(edge, `edge_gateway_failures_total{gateway="${down}",failure="connect"}`)).toBe(1)
    expect(await metric(edge, `edge_gateway_ejections_total{gateway="${down}"}`)).toBe(1)
    expect(await metric(edge, `edge_gateway_ejected{gateway="${down}"}`)).toBe(1)
    expect(await metric(edge, `edge_gateway_ejected{gateway="${ok}"}`)).toBe(0)
    expect(await metric(edge, `edge_gateway_requests_total{gateway="${ok}"}`)).toBe(11)
  })

  it('a gateway that never answers gets half the request timeout, then the GET moves; it is not contacted again', async () => {
    const first = await call(edge, '/silent/a')
    expect(first.status).toBe(200)
    expect(first.json().server).toBe(ok)
    expect(first.ms).toBeGreaterThanOrEqual(490)
    expect(first.ms).toBeLessThan(1000)
    expect(world.silent.requests()).toBe(1)
    for (let i = 0; i < 5; i++) {
      const r = await call(edge, `/silent/${i}`)
      expect(r.json().server).toBe(ok)
      expect(r.ms).toBeLessThan(250)
    }
    expect(world.silent.requests()).toBe(1)
    expect(await metric(edge, `edge_gateway_failures_total{gateway="${gatewayId(SILENT)}",failure="timeout"}`)).toBe(1)
  })

  it('a POST to a gateway that never answers is not moved (it may have been processed): 504 at the full deadline', async () => {
    const r = await call(edge, '/silent-post/pay', { method: 'POST', body: 'x' })
    expect(r.status).toBe(504)
    expect(r.ms).toBeGreaterThanOrEqual(590)
    expect(r.json().error).toContain(gatewayId(SILENT_POST))
    expect(world.gateways.servers[ok]!.received.some((e) => e.url === '/silent-post/pay')).toBe(false)
    // Ejected now: the next POST goes to the working gateway.
    expect((await call(edge, '/silent-post/pay-again', { method: 'POST', body: 'y' })).json()).toMatchObject({ server: ok, body: 'y' })
  })

  it('when every gateway of a route refuses: 502 naming each gateway tried', async () => {
    const r = await call(edge, '/all-down')
    expect(r.status).toBe(502)
    expect(r.json().error).toMatch(/^gateway gw-demo-web-down[23]-80 \(127\.0\.0\.1:\d+\), then gateway gw-demo-web-down[23]-80 \(127\.0\.0\.1:\d+\): cannot connect/)
  })

  it('after the cool-down the gateway is tried again (and ejected again while it still refuses)', async () => {
    expect((await call(restoring, '/refuse/1')).json().server).toBe(ok)
    expect(await metric(restoring, `edge_gateway_ejections_total{gateway="${down}"}`)).toBe(1)
    const ejections = await eventually(
      async () => {
        expect((await call(restoring, '/refuse/again')).status).toBe(200)
        return metric(restoring, `edge_gateway_ejections_total{gateway="${down}"}`)
      },
      (n) => n === 2,
      'a second ejection after the 300 ms cool-down',
    )
    expect(ejections).toBe(2)
  })
})

describe('failover on workerd (miniflare)', () => {
  let world: World
  let mf: Miniflare
  const logs = new CapturedLogs()
  const call = async (path: string, init: { method?: string; body?: string } = {}) => {
    const res = await mf.dispatchFetch(`https://app.test${path}`, init)
    const text = await res.text()
    return { status: res.status, json: () => JSON.parse(text) as Echoed & { error?: string } }
  }
  const ejections = (gateway: string) => logs.lines.filter((l) => l.msg.startsWith('gateway ejected') && l.gateway === gateway)

  beforeAll(async () => {
    world = await startWorld()
    const { code } = await bundleEdge({ runtime: 'cloudflare-workers', snapshot: world.table })
    mf = new Miniflare({
      modules: true,
      script: code,
      compatibilityDate: '2025-01-01',
      bindings: { EDGE_GATEWAY_COOLDOWN_SECONDS: '60' },
      handleRuntimeStdio: (stdout: Readable) => stdout.on('data', (chunk: Buffer) => logs.readText(String(chunk))),
    })
  })
  afterAll(async () => {
    await mf?.dispose()
    await world?.close()
  })

  it('a POST is not moved: workerd cannot tell a refused connection from a lost one (502), but the gateway is ejected', async () => {
    const r = await call('/refuse/order', { method: 'POST', body: 'x' })
    expect(r.status).toBe(502)
    await eventually(async () => ejections(gatewayId(DOWN)).length, (n) => n === 1, 'the ejection log line')
    expect(ejections(gatewayId(DOWN))[0]).toMatchObject({ failure: 'failed', coolDownMs: 60_000 })
    expect((await call('/refuse/order', { method: 'POST', body: 'y' })).json()).toMatchObject({ server: gatewayId(OK), body: 'y' })
  })

  it('GETs keep succeeding on the other gateway while the failing ones stay ejected', async () => {
    const first = await call('/silent/a')
    expect(first.json().server).toBe(gatewayId(OK))
    expect(world.silent.requests()).toBe(1)
    for (let i = 0; i < 5; i++) {
      expect((await call(`/silent/${i}`)).json().server).toBe(gatewayId(OK))
      expect((await call(`/refuse/${i}`)).json().server).toBe(gatewayId(OK))
    }
    expect(world.silent.requests()).toBe(1)
    await eventually(async () => ejections(gatewayId(SILENT)).length, (n) => n === 1, 'the ejection log line')
    expect(ejections(gatewayId(SILENT))[0]).toMatchObject({ failure: 'timeout' })
    expect(ejections(gatewayId(DOWN))).toHaveLength(1)
    const moved = logs.lines.find((l) => l.msg === 'request' && l.path === '/silent/a')
    expect(moved).toMatchObject({ status: 200, gateway: gatewayId(OK), failedOver: gatewayId(SILENT) })
  })
})

describe('failover in the Lambda handler (counters through the metrics port)', () => {
  let world: World
  const counted: string[] = []
  const metrics: EdgeMetrics = {
    request() {},
    upstream: (gateway, status) => counted.push(`attempt ${gateway} ${status}`),
    tableLoad() {},
    gatewayFailure: (gateway: string, failure: UpstreamFailure, ejected: boolean) => counted.push(`failure ${gateway} ${failure}${ejected ? ' ejected' : ''}`),
    failover: (from, to) => counted.push(`failover ${from} -> ${to}`),
  }

  beforeAll(async () => {
    world = await startWorld()
  })
  afterAll(async () => world?.close())

  it('moves the request off a refusing gateway and reports it through the port', async () => {
    const handler = createLambdaHandler({ snapshot: world.table, source: null, logger: silentLogger, metrics, gatewayCoolDownMs: 60_000 })
    const event = (path: string) => ({
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: '',
      headers: { host: 'abc.lambda-url.eu-west-1.on.aws', 'x-forwarded-host': 'app.test' },
      requestContext: { domainName: 'abc.lambda-url.eu-west-1.on.aws', http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'test' } },
      isBase64Encoded: false,
    })
    for (const path of ['/refuse/1', '/refuse/2']) {
      const result = await handler(event(path) as never)
      expect(result.statusCode).toBe(200)
      expect((JSON.parse(result.body) as Echoed).server).toBe(gatewayId(OK))
    }
    expect(counted).toEqual([
      `attempt ${gatewayId(DOWN)} 0`,
      `failure ${gatewayId(DOWN)} connect ejected`,
      `failover ${gatewayId(DOWN)} -> ${gatewayId(OK)}`,
      `attempt ${gatewayId(OK)} 200`,
      `attempt ${gatewayId(OK)} 200`,
    ])
  })
})
