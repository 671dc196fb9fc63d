// The edge on Cloudflare Workers: the route tables come from keys of a KV binding and/or from
// controllers' HTTP endpoints (ROUTE_TABLE_URL, a conditional GET per refresh), one per cluster,
// merged and re-read in the background every `refreshSeconds`, or from a snapshot bundled into
// the script. Forwarding
// uses fetch, which cannot set Host: the gateway gets its own address as Host and the client's
// host in X-Forwarded-Host (docs/edge.md).
import type { Hono } from 'hono'
import { createHttpRouteTableSource } from '../adapters/http-route-table-source'
import { createKvRouteTableSource, type KvNamespaceLike } from '../adapters/kv-route-table-source'
import { createEdgeApp } from '../app'
import { coolDownFromSeconds, GatewayHealth } from '../failover/gateway-health'
import { createFetchForwarder } from '../forward/fetch-forwarder'
import { createConsoleLogger, type Logger } from '../observability/logger'
import { noMetrics, type EdgeMetrics } from '../observability/metrics'
import type { RateLimitBinding } from '../policy/rate-limit'
import { createClusterRefresher, fixedSources, type ClusterRefresher, type SourceDiscovery } from '../table/cluster-refresher'
import { ClusterTables } from '../table/cluster-tables'
import { configuredList } from '../table/configured-list'
import { RouteTableHolder } from '../table/route-table-holder'
import type { RouteTableSource } from '../table/route-table-source'

export type { KvNamespaceLike }

export interface WorkerEnv {
  /** KV namespace holding the published route table (a pointer or a whole table). */
  ROUTE_TABLE?: KvNamespaceLike
  /** Key of the table in ROUTE_TABLE, or several (one per cluster, comma-separated or a JSON array); default `route-table.json`. */
  ROUTE_TABLE_KEY?: string | string[]
  /** Controller endpoints, e.g. `https://routes.eu-1.example.com/v1/route-table` (comma-separated or a JSON array); with KV or instead. */
  ROUTE_TABLE_URL?: string | string[]
  /** Bearer token for the endpoints (a secret: `wrangler secret put ROUTE_TABLE_TOKEN`). */
  ROUTE_TABLE_TOKEN?: string
  /** Seconds between reads (a var); default 10. */
  ROUTE_TABLE_REFRESH_SECONDS?: string
  /** Seconds a gateway that gave no response is skipped (failover, per isolate; a var); default 10. */
  EDGE_GATEWAY_COOLDOWN_SECONDS?: string
}

interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void
}

export interface WorkerOptions {
  /** A table bundled at build time: served until (or unless) KV provides one. */
  snapshot?: unknown
  refreshSeconds?: number
  /** Counters of requests, gateways and failovers (default: none; the log lines carry the same facts). */
  metrics?: EdgeMetrics
}

/** Every configured source, merged: each KV key and each endpoint is one cluster's table. */
function sourcesFor(env: WorkerEnv, logger: Logger): SourceDiscovery[] {
  const sources: RouteTableSource[] = []
  const kv = env.ROUTE_TABLE
  if (kv) {
    const keys = configuredList(env.ROUTE_TABLE_KEY)
    for (const key of keys.length > 0 ? keys : ['route-table.json']) sources.push(createKvRouteTableSource(kv, key))
  }
  for (const url of configuredList(env.ROUTE_TABLE_URL)) {
    try {
      sources.push(createHttpRouteTableSource(url, { waitSeconds: 0, token: env.ROUTE_TABLE_TOKEN || undefined }))
    } catch (error) {
      logger.error({ event: 'route-table-config-invalid', url, error: String(error) }, 'ROUTE_TABLE_URL: not an http(s) URL; left out')
    }
  }
  return sources.length > 0 ? [fixedSources(sources)] : []
}

/** A Workers Rate Limiting binding of the env by name (an object with `limit`), else undefined. */
function rateLimitBindingIn(env: unknown, name: string): RateLimitBinding | undefined {
  const binding = (env as Record<string, unknown> | undefined)?.[name] as Partial<RateLimitBinding> | undefined
  return typeof binding?.limit === 'function' ? (binding as RateLimitBinding) : undefined
}

export function createWorker(options: WorkerOptions = {}) {
  const logger = createConsoleLogger({ runtime: 'cloudflare-workers' })
  const metrics = options.metrics ?? noMetrics
  const tables = new RouteTableHolder(logger, metrics)
  if (options.snapshot !== undefined && options.snapshot !== null) tables.load(options.snapshot, 'bundled snapshot')
  const gatewayHealth = new GatewayHealth()
  // Bindings arrive with the first request; the refresher is built then and kept.
  let refresher: ClusterRefresher | null | undefined

  function maybeRefresh(env: WorkerEnv, ctx: ExecutionContextLike | undefined): Promise<void> | null {
    if (refresher === undefined) {
      gatewayHealth.coolDownMs = coolDownFromSeconds(env.EDGE_GATEWAY_COOLDOWN_SECONDS) ?? gatewayHealth.coolDownMs
      const refreshMs = Number(env.ROUTE_TABLE_REFRESH_SECONDS ?? options.refreshSeconds ?? 10) * 1000
      refresher = createClusterRefresher(sourcesFor(env, logger), new ClusterTables(tables, logger, metrics), { logger, metrics, intervalMs: refreshMs })
    }
    if (refresher === null) return null
    const pending = refresher.refresh()
    ctx?.waitUntil(pending)
    return pending
  }

  const app: Hono = createEdgeApp({
    tables,
    forwarder: createFetchForwarder(),
    logger,
    metrics: options.metrics,
    gatewayHealth,
    requestContext: (c) => {
      const ctx = c.executionCtx as ExecutionContextLike
      return {
        address: c.req.header('cf-connecting-ip') ?? null,
        scheme: new URL(c.req.url).protocol === 'https:' ? 'https' : 'http',
        signal: c.req.raw.signal,
        background: (task) => ctx.waitUntil(task),
        rateLimitBinding: (name) => rateLimitBindingIn(c.env, name),
      }
    },
  })

  return {
    async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContextLike): Promise<Response> {
      const pending = maybeRefresh(env, ctx)
      // Only the very first request waits for KV; later refreshes happen in the background.
      if (pending !== null && tables.current() === null) await pending
      return app.fetch(request, env, ctx as never)
    },
  }
}

// Replaced by the bundler (edge/src/runtime/build/bundle.ts) with a route table, or left undefined.
declare const __EDGE_ROUTE_TABLE_SNAPSHOT__: unknown

export default createWorker({ snapshot: typeof __EDGE_ROUTE_TABLE_SNAPSHOT__ === 'undefined' ? null : __EDGE_ROUTE_TABLE_SNAPSHOT__ })
