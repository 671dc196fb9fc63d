// The edge on Node: @hono/node-server on the public port, forwarding through an undici
// keep-alive pool; WebSocket upgrades spliced to the gateway; /metrics, /healthz and /readyz
// on a separate admin port.
import { getRequestListener, type HttpBindings } from '@hono/node-server'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { createEdgeApp } from '../app'
import { GatewayHealth } from '../failover/gateway-health'
import { gatewayHooks } from '../failover/gateway-hooks'
import { createGatewayAgent, createUndiciForwarder } from '../forward/undici-forwarder'
import type { Forwarder } from '../forward/forwarder'
import { errorResponse } from '../http/responses'
import { requestLogFields } from '../http/request-log'
import { routeRequest } from '../http/route-request'
import type { Logger } from '../observability/logger'
import { createPrometheusMetrics, type PrometheusMetrics } from '../observability/prometheus-metrics'
import type { RouteTableHolder } from '../table/route-table-holder'
import { createAdminServer } from './node/admin-server'
import { PolicyEnforcer } from '../policy/enforce'
import { createFastForward } from './node/fast-forward'
import { close, listen } from './node/listen'
import { hasRepeatedHost } from './node/repeated-host'
import { writeResponse } from './node/write-response'
import { proxyWebSocket, rawError, upgradeRequest, writeRawResponse } from './node/websocket-proxy'

export interface NodeEdgeOptions {
  tables: RouteTableHolder
  logger: Logger
  metrics?: PrometheusMetrics
  forwarder?: Forwarder
  host: string
  port: number
  /** null: no admin server (tests that only need the public port). */
  adminPort: number | null
  adminHost?: string
  defaultTimeoutMs?: number
  /** How long a gateway that gave no response is skipped (failover); default 10 s. */
  gatewayCoolDownMs?: number
}

export interface NodeEdge {
  address: AddressInfo
  adminAddress: AddressInfo | null
  metrics: PrometheusMetrics
  close(): Promise<void>
}

export async function startNodeEdge(options: NodeEdgeOptions): Promise<NodeEdge> {
  const metrics = options.metrics ?? createPrometheusMetrics()
  const agent = createGatewayAgent()
  const forwarder = options.forwarder ?? createUndiciForwarder({}, agent)
  const { logger, tables } = options
  const newRequestId = () => crypto.randomUUID()
  const gatewayHealth = new GatewayHealth({ coolDownMs: options.gatewayCoolDownMs })
  metrics.trackGatewayHealth(gatewayHealth)
  // Plain forwards skip Hono and web streams (runtime/node/fast-forward.ts); a custom forwarder (tests) sees every request.
  const fastForward =
    options.forwarder === undefined
      ? createFastForward({
          tables,
          dispatcher: agent,
          logger,
          metrics,
          hooks: gatewayHooks(gatewayHealth, metrics, logger),
          routing: { random: Math.random, newRequestId, defaultTimeoutMs: options.defaultTimeoutMs, isAvailable: (gateway) => gatewayHealth.isAvailable(gateway) },
        })
      : () => false
  // One set of rate-limit buckets and JWKS caches for requests and WebSocket upgrades alike.
  const policies = new PolicyEnforcer({ logger })
  const app = createEdgeApp({
    tables,
    forwarder,
    logger,
    metrics,
    newRequestId,
    defaultTimeoutMs: options.defaultTimeoutMs,
    gatewayHealth,
    policies,
    requestContext: (c) => {
      const { incoming } = c.env as HttpBindings
      return { address: incoming.socket.remoteAddress ?? null, scheme: 'http', signal: c.req.raw.signal }
    },
  })
  const listener = getRequestListener(app.fetch, {
    // node-server refuses some requests before the app sees them (bad Host, backslash in path).
    errorHandler: (error) =>
      error instanceof Error && error.name === 'RequestError'
        ? errorResponse(400, `invalid request: ${error.message}`, newRequestId())
        : errorResponse(500, 'internal error in the edge', newRequestId()),
  })
  // Requests refused before routing (no route): logged and counted, answered in the usual JSON shape.
  const refusal = (status: number, error: string) => {
    const requestId = newRequestId()
    logger.warn({ requestId, status, error }, 'malformed request refused')
    metrics.request(null, status, 0)
    return errorResponse(status, error, requestId, [['connection', 'close']])
  }
  const server = createServer((req, res) => {
    // The fast path never forwards a repeated Host (it reads every line, and two hosts are no valid host).
    if (fastForward(req, res)) return
    if (hasRepeatedHost(req.rawHeaders)) return void writeResponse(res, refusal(400, 'more than one Host header'))
    // node-server compares the Host header to the parsed URL case-sensitively and refuses
    // `APP.Example.com:8080`; hosts are case-insensitive, so hand it the lowercase form.
    if (req.headers.host) req.headers.host = req.headers.host.toLowerCase()
    void listener(req, res)
  })

  server.on('upgrade', (req, socket, head) => {
    if (hasRepeatedHost(req.rawHeaders)) return void writeRawResponse(socket, refusal(400, 'more than one Host header'))
    const started = performance.now()
    let request: Request
    try {
      request = upgradeRequest(req, 'http')
    } catch {
      rawError(socket, 400, 'invalid request target or Host', newRequestId())
      return
    }
    const routed = routeRequest(tables, request, { address: req.socket.remoteAddress ?? null, scheme: 'http' }, { random: Math.random, newRequestId, defaultTimeoutMs: options.defaultTimeoutMs, isAvailable: (g) => gatewayHealth.isAvailable(g) })
    const done = (status: number, error?: string) => {
      const ms = performance.now() - started
      metrics.request(routed.plan?.routeId ?? null, status, ms / 1000)
      logger.info(requestLogFields(routed, request.method, status, ms, { upgrade: 'websocket', ...(error ? { error } : {}) }), 'request')
    }
    if (routed.kind === 'answer') {
      done(routed.response.status)
      void writeRawResponse(socket, routed.response)
    } else if ((routed.plan.upstream.headers.get('upgrade') ?? '') !== 'websocket') {
      done(400)
      rawError(socket, 400, 'only WebSocket upgrades are supported', routed.requestId)
    } else if (PolicyEnforcer.applies(routed.plan)) {
      // An upgrade passes the route's policies like any request (authentication, rate limit) before it is spliced.
      const plan = routed.plan
      void policies.check(plan, request.headers, { address: req.socket.remoteAddress ?? null }, routed.requestId).then(
        (outcome) => {
          if (outcome.allowed) return proxyWebSocket(plan, routed.requestId, socket, head, done)
          done(outcome.response.status, String(outcome.log.policy))
          void writeRawResponse(socket, outcome.response)
        },
        (error: unknown) => {
          done(500, String(error))
          rawError(socket, 500, 'internal error in the edge', routed.requestId)
        },
      )
    } else {
      proxyWebSocket(routed.plan, routed.requestId, socket, head, done)
    }
  })
  // Not a forward proxy: without a listener Node would drop the connection without a word.
  server.on('connect', (_req, socket: Duplex) => void writeRawResponse(socket, refusal(405, 'CONNECT is not supported: the edge only routes to the gateways of its route table')))
  // Malformed requests never reach the app: answer them in the same JSON shape.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy()
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400
    void writeRawResponse(socket, refusal(status, status === 431 ? 'request headers too large' : `malformed request (${error.code ?? 'parse error'})`))
  })

  const address = await listen(server, options.port, options.host, 'public')
  let admin: ReturnType<typeof createServer> | null = null
  let adminAddress: AddressInfo | null = null
  if (options.adminPort !== null) {
    admin = createAdminServer(metrics.registry, () => tables.current() !== null)
    try {
      adminAddress = await listen(admin, options.adminPort, options.adminHost ?? options.host, 'admin')
    } catch (error) {
      await close(server)
      throw error
    }
  }
  return {
    address,
    adminAddress,
    metrics,
    async close() {
      await Promise.all([close(server), admin ? close(admin) : Promise.resolve()])
      await forwarder.close?.()
      // The default forwarder closes the agent it shares with the fast path.
      if (options.forwarder !== undefined) await agent.close()
    },
  }
}
