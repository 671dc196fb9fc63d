// The edge on AWS Lambda (Function URL or API Gateway events) through hono/aws-lambda. The
// route tables come from S3, by default every cluster under the prefix, and/or controller
// endpoints (see adapters/lambda-sources.ts; each re-read with a conditional GET at most every
// EDGE_ROUTE_TABLE_REFRESH_SECONDS) and are merged, or from a bundled snapshot; they stay in
// memory between invocations. Behind CloudFront the client's
// host arrives in X-Forwarded-Host (a Function URL needs its own Host), so the edge routes on
// X-Forwarded-Host when present; a client choosing it gains nothing it could not get by
// choosing Host. Forwarding uses undici, not fetch: fetch cannot set Host on Node (ADR 0300).
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { getConnInfo, handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda'
import { chosenSources, discoveryIntervalMs } from '../adapters/lambda-sources'
import { createEdgeApp } from '../app'
import { coolDownFromSeconds, GatewayHealth } from '../failover/gateway-health'
import { createUndiciForwarder } from '../forward/undici-forwarder'
import { addressFromProxyHeader } from '../http/client-address'
import type { Forwarder } from '../forward/forwarder'
import type { Logger } from '../observability/logger'
import { noMetrics, type EdgeMetrics } from '../observability/metrics'
import { createPinoLogger } from '../observability/pino-logger'
import { createClusterRefresher, type SourceDiscovery } from '../table/cluster-refresher'
import { ClusterTables } from '../table/cluster-tables'
import { RouteTableHolder } from '../table/route-table-holder'
import type { RouteTableSource } from '../table/route-table-source'

export interface LambdaEdgeOptions {
  /** A table bundled at build time, served until (or unless) the source provides one. */
  snapshot?: unknown
  /** Where the tables come from, merged; default: the environment (adapters/lambda-sources.ts). */
  sources?: SourceDiscovery[]
  /** One source instead (null: none); ignored when `sources` is given. */
  source?: RouteTableSource | null
  refreshSeconds?: number
  /** Least time between listings of the clusters under the S3 prefix; default EDGE_ROUTE_TABLE_DISCOVERY_SECONDS or 60 s. */
  discoverySeconds?: number
  logger?: Logger
  forwarder?: Forwarder
  defaultTimeoutMs?: number
  /** Counters of requests, gateways and failovers (default: none; the log lines carry the same facts). */
  metrics?: EdgeMetrics
  /** How long a gateway that gave no response is skipped; default EDGE_GATEWAY_COOLDOWN_SECONDS or 10 s. */
  gatewayCoolDownMs?: number
  /**
   * A header set by the proxy in front that carries the client's address (e.g.
   * `cloudfront-viewer-address` behind CloudFront with origin access control); default
   * EDGE_CLIENT_ADDRESS_HEADER, or none: the event's source IP (CloudFront's, behind CloudFront).
   */
  clientAddressHeader?: string | null
}

/** hono/aws-lambda takes the URL host from requestContext.domainName: make it the viewer's. */
function withViewerHost(event: LambdaEvent): LambdaEvent {
  const headers = (event as { headers?: Record<string, string | undefined> | null }).headers ?? {}
  const forwarded = Object.entries(headers).find(([name]) => name.toLowerCase() === 'x-forwarded-host')?.[1]
  const host = forwarded?.split(',')[0]?.trim()
  if (!host || !('requestContext' in event) || !event.requestContext || !('domainName' in event.requestContext)) return event
  return { ...event, requestContext: { ...event.requestContext, domainName: host } } as LambdaEvent
}

export function createLambdaHandler(options: LambdaEdgeOptions = {}) {
  const logger = options.logger ?? createPinoLogger({ name: 'edge-ingress-lambda' })
  const addressHeader = (options.clientAddressHeader === undefined ? process.env.EDGE_CLIENT_ADDRESS_HEADER : options.clientAddressHeader)?.toLowerCase() || null
  const metrics = options.metrics ?? noMetrics
  const tables = new RouteTableHolder(logger, metrics)
  if (options.snapshot !== undefined && options.snapshot !== null) tables.load(options.snapshot, 'bundled snapshot')
  const refresher = createClusterRefresher(chosenSources(logger, options), new ClusterTables(tables, logger, metrics), {
    logger,
    metrics,
    intervalMs: (options.refreshSeconds ?? Number(process.env.EDGE_ROUTE_TABLE_REFRESH_SECONDS ?? 10)) * 1000,
    discoveryIntervalMs: options.discoverySeconds === undefined ? discoveryIntervalMs() : options.discoverySeconds * 1000,
  })
  const app = createEdgeApp({
    tables,
    forwarder: options.forwarder ?? createUndiciForwarder({ connections: 16 }),
    logger,
    defaultTimeoutMs: options.defaultTimeoutMs,
    metrics: options.metrics,
    // Per execution environment: it lives as long as the warm Lambda instance.
    gatewayHealth: new GatewayHealth({ coolDownMs: options.gatewayCoolDownMs ?? coolDownFromSeconds(process.env.EDGE_GATEWAY_COOLDOWN_SECONDS) }),
    // Function URLs and API Gateway only take HTTPS from clients.
    requestContext: (c) => ({
      address: (addressHeader && addressFromProxyHeader(c.req.header(addressHeader))) || (getConnInfo(c).remote.address ?? null),
      scheme: 'https',
    }),
  })
  const lambda = handle(app)
  // Typed with @types/aws-lambda, what Lambda delivers; hono describes the same shapes its own way.
  return async (event: APIGatewayProxyEventV2 | APIGatewayProxyEvent, context?: Context) => {
    // The refresh is awaited: a Lambda may be frozen right after it returns, so nothing runs later.
    await refresher?.refresh()
    return lambda(withViewerHost(event as unknown as LambdaEvent), context as unknown as LambdaContext)
  }
}

// Replaced by the bundler (edge/src/runtime/build/bundle.ts) with a route table, or left undefined.
declare const __EDGE_ROUTE_TABLE_SNAPSHOT__: unknown

export const handler = createLambdaHandler({ snapshot: typeof __EDGE_ROUTE_TABLE_SNAPSHOT__ === 'undefined' ? null : __EDGE_ROUTE_TABLE_SNAPSHOT__ })
