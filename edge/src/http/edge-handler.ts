// One client request end to end: route it, answer it or forward it through the Forwarder,
// apply the response filters, log one line and count it. Runtime-neutral (web Request/Response).
import type { ForwardPlan } from '../dispatch/types'
import { GatewayHealth } from '../failover/gateway-health'
import { describeBackend } from '../dispatch/plan'
import { gatewayHooks } from '../failover/gateway-hooks'
import { exchange } from '../forward/exchange'
import type { Forwarder } from '../forward/forwarder'
import { MAX_REPLAY_BYTES, readRequestBody, type RequestBody } from '../forward/request-body'
import type { Logger } from '../observability/logger'
import { RequestBodyTooLarge } from '../policy/body-limit'
import { PolicyEnforcer } from '../policy/enforce'
import type { RateLimitBinding } from '../policy/rate-limit'
import { noMetrics, type EdgeMetrics } from '../observability/metrics'
import type { RouteTableHolder } from '../table/route-table-holder'
import { requestLogFields } from './request-log'
import { clientResponse, errorResponse } from './responses'
import { routeRequest, type ClientInfo, type Routed } from './route-request'
import { upstreamFailure } from './upstream-failure'

export interface EdgeDeps {
  tables: RouteTableHolder
  forwarder: Forwarder
  logger: Logger
  metrics?: EdgeMetrics
  random?: () => number
  newRequestId?: () => string
  /** Request timeout for routes that set none. */
  defaultTimeoutMs?: number
  /** Largest request body buffered so that a retry, a failover or a mirror can resend it. */
  maxReplayBytes?: number
  /** Gateways ejected after failing (failover); one per edge instance. */
  gatewayHealth?: GatewayHealth
  /** Rate-limit buckets and JWKS caches of the routes' policies; one per edge instance. */
  policies?: PolicyEnforcer
}

export interface RequestContext extends ClientInfo {
  /** Aborted when the client goes away: the upstream exchange is abandoned too. */
  signal?: AbortSignal | null
  /** Keeps work alive after the response is sent (Workers' waitUntil); mirrors use it. */
  background?: (task: Promise<unknown>) => void
  /** Workers: the isolate's Rate Limiting bindings by name (rate limits use them where named). */
  rateLimitBinding?: (name: string) => RateLimitBinding | undefined
}

export type EdgeHandler = (request: Request, context: RequestContext) => Promise<Response>

export function createEdgeHandler(deps: EdgeDeps): EdgeHandler {
  const metrics = deps.metrics ?? noMetrics
  const health = deps.gatewayHealth ?? new GatewayHealth()
  const hooks = gatewayHooks(health, metrics, deps.logger)
  const policies = deps.policies ?? new PolicyEnforcer({ logger: deps.logger })
  const options = {
    random: deps.random ?? Math.random,
    newRequestId: deps.newRequestId ?? (() => crypto.randomUUID()),
    defaultTimeoutMs: deps.defaultTimeoutMs,
    isAvailable: (gateway: string) => health.isAvailable(gateway),
  }

  function finish(routed: Routed, request: Request, status: number, started: number, extra: Record<string, unknown> = {}) {
    const ms = performance.now() - started
    metrics.request(routed.plan?.routeId ?? null, status, ms / 1000)
    deps.logger.info(requestLogFields(routed, request.method, status, ms, extra), 'request')
  }

  return async (request, context) => {
    const started = performance.now()
    const routed = routeRequest(deps.tables, request, context, options)
    if (routed.kind === 'answer') {
      finish(routed, request, routed.response.status, started)
      return routed.response
    }
    const plan = routed.plan
    let policyLog = {}
    if (PolicyEnforcer.applies(plan)) {
      const outcome = await policies.check(plan, request.headers, context, routed.requestId)
      if (!outcome.allowed) {
        finish(routed, request, outcome.response.status, started, outcome.log)
        return outcome.response
      }
      policyLog = outcome.log
    }
    let body: RequestBody
    try {
      body = await readRequestBody(request, plan.retry !== null || plan.mirrors.length > 0 || plan.failover.length > 0, deps.maxReplayBytes ?? MAX_REPLAY_BYTES, plan.policy.maxBodyBytes)
    } catch (error) {
      finish(routed, request, 400, started, { error: 'request body unreadable' })
      return errorResponse(400, `cannot read the request body: ${error instanceof Error ? error.message : String(error)}`, routed.requestId)
    }
    sendMirrors(plan, body, context, deps)
    try {
      const { response, attempts, target } = await exchange(plan, body, deps.forwarder, context.signal ?? null, hooks)
      const failedOver = target === plan ? {} : { backend: describeBackend(target.backend), gateway: target.gateway.id, failedOver: plan.gateway.id }
      finish(routed, request, response.status, started, { ...policyLog, ...(attempts > 1 ? { attempts } : {}), ...failedOver })
      return clientResponse(target === plan ? plan : { ...plan, ...target }, response.status, response.headers, response.body, routed.requestId)
    } catch (error) {
      if (error instanceof RequestBodyTooLarge) {
        finish(routed, request, 413, started, { ...policyLog, policy: error.message })
        return errorResponse(413, error.message, routed.requestId, plan.responseHeaders)
      }
      const failed = upstreamFailure(error, plan)
      finish(routed, request, failed.status, started, failed.logFields)
      return errorResponse(failed.status, failed.message, routed.requestId)
    }
  }
}

/** Mirrors are fire-and-forget: their answers and failures never touch the client's response. */
function sendMirrors(plan: ForwardPlan, body: RequestBody, context: RequestContext, deps: EdgeDeps) {
  if (plan.mirrors.length === 0) return
  if (!body.replayable) {
    deps.logger.warn({ route: plan.routeId }, 'request body too large or of unknown length to mirror; mirror skipped')
    return
  }
  for (const mirror of plan.mirrors) {
    const task = deps.forwarder
      .forward({ url: mirror.url, method: plan.upstream.method, headers: new Headers(plan.upstream.headers), body: body.bytes, signal: AbortSignal.timeout(plan.timeouts.requestMs) })
      .then((response) => response.body?.cancel())
      .catch((error: unknown) => deps.logger.warn({ route: plan.routeId, gateway: mirror.gateway.id, error: String(error) }, 'mirror request failed'))
    context.background?.(task)
  }
}
