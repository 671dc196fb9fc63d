// The Node edge's hot path: a request whose plan is a plain forward (one gateway, no retry, no
// mirror, no policy) goes from node:http straight to undici's dispatcher and back, with Node
// streams and no web Request/Response or ReadableStream in between (each costs more per request
// than routing does; see test/bench/proxy.bench.ts). Everything else is declined and goes
// through the Hono app. The decisions are the same code as there: routeRequest, the plan, the
// response headers (client-headers.ts), the failure answers (upstreamFailure), the gateway
// hooks, the log line and the metrics. Per request it allocates the exchange and what undici
// and node:http need, no closures: listeners and the timer are shared functions that find the
// exchange on the response (ADR 0103).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Dispatcher } from 'undici'
import { flatHeaders, HeaderList } from '../../dispatch/header-list'
import { gatewayOrigin } from '../../dispatch/plan'
import type { ForwardPlan } from '../../dispatch/types'
import type { ExchangeHooks } from '../../forward/exchange'
import { DeadlineExceeded, UpstreamError, toUpstreamError } from '../../forward/forwarder'
import { requestLogFields } from '../../http/request-log'
import { errorResponse, responseHasNoBody } from '../../http/responses'
import { routeRequest, type Routed, type RoutingOptions } from '../../http/route-request'
import { upstreamFailure } from '../../http/upstream-failure'
import type { Logger } from '../../observability/logger'
import type { EdgeMetrics } from '../../observability/metrics'
import { PolicyEnforcer } from '../../policy/enforce'
import type { RouteTableHolder } from '../../table/route-table-holder'
import { clientHeaders, type UpstreamHeaders } from './client-headers'
import { writeResponse } from './write-response'

export interface FastForwardDeps {
  tables: RouteTableHolder
  dispatcher: Dispatcher
  logger: Logger
  metrics: EdgeMetrics
  hooks: ExchangeHooks
  routing: RoutingOptions
}

/** Returns a handler that serves the request and returns true, or returns false without touching it. */
export function createFastForward(deps: FastForwardDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const target = req.url!
    // node-server refuses a backslash in the path with 400; the general path gives that answer.
    if (target.includes('\\')) return false
    const started = performance.now()
    const headers = HeaderList.fromRaw(req.rawHeaders).asHeaders()
    const routed = routeRequest(deps.tables, { url: target, method: req.method!, headers }, { address: req.socket.remoteAddress ?? null, scheme: 'http' }, deps.routing)
    if (routed.kind !== 'forward' || !isPlainForward(routed.plan)) return false
    new Exchange(deps, routed, routed.plan, req, res, started).start()
    return true
  }
}

/** One gateway, one attempt, nothing to replay or enforce: what the exchange does then is all this path does. */
function isPlainForward(plan: ForwardPlan): boolean {
  return plan.retry === null && plan.mirrors.length === 0 && plan.failover.length === 0 && !PolicyEnforcer.applies(plan)
}

const EXCHANGE = Symbol('edge exchange')
type WithExchange = ServerResponse & { [EXCHANGE]: Exchange }

/** The undici dispatch handler of one request: the client's response is written as the gateway's arrives. */
class Exchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private answered = false
  private attemptStarted = 0
  private waitingForDrain = false

  constructor(
    private readonly deps: FastForwardDeps,
    private readonly routed: Routed,
    private readonly plan: ForwardPlan,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly started: number,
  ) {}

  start(): void {
    const { plan, req, res } = this
    const { upstream, timeouts } = plan
    // As in exchange(): the backend timeout when it is shorter, else the request's; it keeps running while the body streams.
    const limitMs = Math.max(0, Math.ceil(timeouts.backendMs !== null ? Math.min(timeouts.backendMs, timeouts.requestMs) : timeouts.requestMs))
    this.timer = setTimeout(onDeadline, limitMs, this, limitMs)
    ;(res as WithExchange)[EXCHANGE] = this
    res.on('close', onClientClose)
    const method = req.method
    const hasBody = method !== 'GET' && method !== 'HEAD' && (req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined)
    this.attemptStarted = performance.now()
    this.deps.dispatcher.dispatch(
      { origin: gatewayOrigin(plan.gateway), path: upstream.path, method: upstream.method as Dispatcher.HttpMethod, headers: flatHeaders(upstream.headers), body: hasBody ? req : null },
      this,
    )
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller
  }

  onResponseStart(controller: Dispatcher.DispatchController, status: number, upstreamHeaders: UpstreamHeaders): void {
    const { plan, res } = this
    const headAt = performance.now()
    this.deps.hooks.onAttempt?.(plan.gateway.id, status, (headAt - this.attemptStarted) / 1000)
    this.answered = true
    this.finish(status, headAt)
    res.writeHead(status, clientHeaders(plan, upstreamHeaders, this.routed.requestId))
    if (responseHasNoBody(status, plan.upstream.method)) {
      res.end()
      this.release()
      controller.abort(new Error('no body is sent for this status'))
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const { res } = this
    if (res.writableEnded || res.write(chunk)) return
    // Backpressure: undici stops reading the gateway until the client has taken what is queued.
    controller.pause()
    if (!this.waitingForDrain) {
      this.waitingForDrain = true
      res.on('drain', onClientDrain)
    }
  }

  onResponseEnd(): void {
    this.release()
    if (!this.res.writableEnded) this.res.end()
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.release()
    if (this.answered) {
      // The head is out: the client sees the body cut short, as with the web-stream path.
      if (!this.res.writableEnded) this.res.destroy(error)
      return
    }
    this.answered = true
    const { plan } = this
    const failedAt = performance.now()
    this.deps.hooks.onAttempt?.(plan.gateway.id, 0, (failedAt - this.attemptStarted) / 1000)
    const failure = error instanceof DeadlineExceeded ? new UpstreamError('timeout', error.message, { cause: error }) : toUpstreamError(error, { aborted: false, reason: undefined })
    this.deps.hooks.onFailure?.(plan.gateway.id, failure)
    const failed = upstreamFailure(failure, plan)
    this.finish(failed.status, failedAt, failed.logFields)
    if (!this.res.headersSent && !this.res.destroyed) void writeResponse(this.res, errorResponse(failed.status, failed.message, this.routed.requestId))
  }

  abort(reason: Error): void {
    if (this.controller !== null && !this.controller.aborted) this.controller.abort(reason)
  }

  resume(): void {
    this.controller?.resume()
  }

  private release(): void {
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  /** The request log line and metric, once the status is known (as the general path does). */
  private finish(status: number, at: number, extra?: Record<string, unknown>): void {
    const ms = at - this.started
    this.deps.metrics.request(this.plan.routeId, status, ms / 1000)
    this.deps.logger.info(requestLogFields(this.routed, this.req.method!, status, ms, extra), 'request')
  }
}

function onDeadline(exchange: Exchange, limitMs: number): void {
  exchange.abort(new DeadlineExceeded(limitMs))
}

function onClientClose(this: ServerResponse): void {
  if (!this.writableFinished) (this as WithExchange)[EXCHANGE].abort(new Error('the client went away'))
}

function onClientDrain(this: ServerResponse): void {
  ;(this as WithExchange)[EXCHANGE].resume()
}
