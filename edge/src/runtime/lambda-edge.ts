// The edge as a Lambda@Edge origin-request trigger: it routes the request, then either points
// CloudFront at the chosen gateway (custom origin) and returns the request, or returns a
// generated response (404, 500, redirect, CORS preflight). It never fetches the request:
// CloudFront carries the bytes. The table is a bundled snapshot or comes from S3, by default the
// merge of every cluster under the prefix (the location compiled into the bundle: Lambda@Edge
// has no environment variables; adapters/lambda-sources.ts).
import type { CloudFrontHeaders, CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda'
import type { ForwardPlan } from '../dispatch/types'
import { requestLogFields } from '../http/request-log'
import { errorResponse } from '../http/responses'
import { routeRequest } from '../http/route-request'
import { createConsoleLogger, type LogFields, type Logger } from '../observability/logger'
import { PolicyEnforcer } from '../policy/enforce'
import { noMetrics } from '../observability/metrics'
import { chosenSources, discoveryIntervalMs } from '../adapters/lambda-sources'
import { createClusterRefresher, type SourceDiscovery } from '../table/cluster-refresher'
import { ClusterTables } from '../table/cluster-tables'
import { RouteTableHolder } from '../table/route-table-holder'
import type { RouteTableSource } from '../table/route-table-source'

// CloudFront refuses a function result that sets these (disallowed) or changes these
// (read-only for origin-request events).
const DISALLOWED = /^(connection|expect|keep-alive|proxy-authenticate|proxy-authorization|proxy-connection|trailer|upgrade|x-accel-.*|x-amz-cf-.*|x-cache|x-edge-.*|x-forwarded-proto|x-real-ip)$/
const READ_ONLY = new Set(['accept-encoding', 'content-length', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'range', 'transfer-encoding', 'via'])
const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE'])
/** CloudFront's longest origin response timeout without a quota increase. */
const MAX_READ_TIMEOUT_SECONDS = 60

function toWebRequest(cf: CloudFrontRequest, scheme: 'http' | 'https'): Request {
  const headers = new Headers()
  for (const values of Object.values(cf.headers)) for (const { key, value } of values) if (key) headers.append(key, value)
  const host = headers.get('host') ?? 'invalid'
  return new Request(`${scheme}://${host}${cf.uri}${cf.querystring ? `?${cf.querystring}` : ''}`, { method: cf.method, headers })
}

function toCloudFrontHeaders(headers: Headers, original: CloudFrontHeaders): CloudFrontHeaders {
  const out: CloudFrontHeaders = {}
  for (const [name, value] of headers) {
    if (DISALLOWED.test(name) || READ_ONLY.has(name)) continue
    out[name] = [{ key: name, value }]
  }
  for (const name of READ_ONLY) if (original[name]) out[name] = original[name]!
  return out
}

async function generatedResponse(response: Response): Promise<CloudFrontResultResponse> {
  const headers: CloudFrontHeaders = {}
  for (const [name, value] of response.headers) if (!DISALLOWED.test(name)) headers[name] = [{ key: name, value }]
  const body = await response.text()
  return { status: String(response.status), statusDescription: response.statusText || undefined, headers, ...(body ? { body, bodyEncoding: 'text' as const } : {}) }
}

function pointAtGateway(cf: CloudFrontRequest, plan: ForwardPlan): CloudFrontRequest {
  const { gateway, upstream } = plan
  const mark = upstream.path.indexOf('?')
  return {
    ...cf,
    uri: mark < 0 ? upstream.path : upstream.path.slice(0, mark),
    querystring: mark < 0 ? '' : upstream.path.slice(mark + 1),
    headers: toCloudFrontHeaders(upstream.headers, cf.headers),
    origin: {
      custom: {
        domainName: gateway.address,
        port: gateway.port,
        protocol: gateway.protocol,
        path: '',
        sslProtocols: ['TLSv1.2'],
        readTimeout: Math.min(MAX_READ_TIMEOUT_SECONDS, Math.max(1, Math.ceil(plan.timeouts.requestMs / 1000))),
        keepaliveTimeout: 5,
        customHeaders: {},
      },
    },
  }
}

export interface OriginRequestOptions {
  snapshot?: unknown
  /** Where the tables come from, merged; default: the compiled-in location (adapters/lambda-sources.ts). */
  sources?: SourceDiscovery[]
  /** One source instead (null: none); ignored when `sources` is given. */
  source?: RouteTableSource | null
  refreshSeconds?: number
  logger?: Logger
}

export function createOriginRequestHandler(options: OriginRequestOptions) {
  const logger = options.logger ?? createConsoleLogger({ runtime: 'lambda-edge' })
  const tables = new RouteTableHolder(logger, noMetrics)
  if (options.snapshot !== null && options.snapshot !== undefined) tables.load(options.snapshot, 'bundled snapshot')
  const refresher = createClusterRefresher(chosenSources(logger, options), new ClusterTables(tables, logger, noMetrics), {
    logger,
    metrics: noMetrics,
    intervalMs: (options.refreshSeconds ?? 30) * 1000,
    discoveryIntervalMs: discoveryIntervalMs(),
  })
  const policies = new PolicyEnforcer({ logger })
  /**
   * A refusal by the route's policies, or null. CloudFront carries the body, so a size limit can
   * only be checked on a declared length: a body of unknown length on such a route gets 411.
   */
  async function refusal(plan: ForwardPlan, headers: Headers, clientIp: string, requestId: string): Promise<{ response: Response; log: LogFields } | null> {
    if (!PolicyEnforcer.applies(plan)) return null
    const outcome = await policies.check(plan, headers, { address: clientIp || null }, requestId)
    if (!outcome.allowed) return outcome
    if (plan.policy.maxBodyBytes !== null && !headers.has('content-length') && !BODYLESS.has(plan.upstream.method)) {
      const error = `a body of unknown length cannot be checked against this route's limit of ${plan.policy.maxBodyBytes} bytes: send Content-Length`
      return { response: errorResponse(411, error, requestId, plan.responseHeaders), log: { policy: error } }
    }
    return null
  }
  return async (event: CloudFrontRequestEvent): Promise<CloudFrontRequest | CloudFrontResultResponse> => {
    await refresher?.refresh()
    const started = performance.now()
    const cf = event.Records[0]!.cf.request
    const scheme = (cf.headers['cloudfront-forwarded-proto']?.[0]?.value ?? 'https') === 'http' ? 'http' : 'https'
    let request: Request
    try {
      request = toWebRequest(cf, scheme)
    } catch {
      return { status: '400', headers: { 'content-type': [{ key: 'content-type', value: 'application/json' }] }, body: JSON.stringify({ error: 'invalid Host or URI', status: 400, requestId: event.Records[0]!.cf.config.requestId }), bodyEncoding: 'text' }
    }
    // CloudFront appends the viewer to X-Forwarded-For itself: pass no client address.
    const routed = routeRequest(tables, request, { address: null, scheme }, { random: Math.random, newRequestId: () => crypto.randomUUID() })
    // The route's policies: the viewer's address (clientIp, set by CloudFront) is the rate-limit key.
    const refused = routed.kind === 'forward' ? await refusal(routed.plan, request.headers, cf.clientIp, routed.requestId) : null
    const status = refused?.response.status ?? (routed.kind === 'answer' ? routed.response.status : null)
    // status null: handed back to CloudFront with the gateway as origin.
    logger.info(requestLogFields(routed, cf.method, status, performance.now() - started, refused?.log), 'request')
    if (refused) return generatedResponse(refused.response)
    return routed.kind === 'answer' ? generatedResponse(routed.response) : pointAtGateway(cf, routed.plan)
  }
}

// Replaced by the bundler (edge/src/runtime/build/bundle.ts) with a route table, or left undefined.
declare const __EDGE_ROUTE_TABLE_SNAPSHOT__: unknown

export const handler = createOriginRequestHandler({ snapshot: typeof __EDGE_ROUTE_TABLE_SNAPSHOT__ === 'undefined' ? null : __EDGE_ROUTE_TABLE_SNAPSHOT__ })
