// The edge on Cloudflare Workers: the route table comes from a KV binding or from the
// controller's HTTP endpoint (ROUTE_TABLE_URL, a conditional GET per refresh), re-read in the
// background every `refreshSeconds`, or from a snapshot bundled into the script. Forwarding
// uses fetch, which cannot set Host: the gateway gets its own address as Host and the client's
// host in X-Forwarded-Host (docs/edge.md).
import type { Hono } from 'hono'
import { createHttpRouteTableSource } from '../adapters/http-route-table-source'
import { createKvRouteTableSource, type KvNamespaceLike } from '../adapters/kv-route-table-source'
import { createEdgeApp } from '../app'
import { coolDownFromSeconds, GatewayHealth } from '../failover/gateway-health'
import { createFetchForwarder } from '../forward/fetch-forwarder'
import { createConsoleLogger } from '../observability/logger'
import { noMetrics, type EdgeMetrics } from '../observability/metrics'
import type { RateLimitBinding } from '../policy/rate-limit'
import { RouteTableHolder } from '../table/route-table-holder'
import { refresherFor, type RouteTableSource } from '../table/route-table-source'

export type { KvNamespaceLike }

export interface WorkerEnv {
  /** KV namespace holding the published route table (a pointer or a whole table). */
  ROUTE_TABLE?: KvNamespaceLike
  /** Key of the table in ROUTE_TABLE; default `route-table.json`. */
  ROUTE_TABLE_KEY?: string
  /** The controller's endpoint, e.g. `https://routes.example.com/v1/route-table` (instead of KV). */
  ROUTE_TABLE_URL?: string
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

function sourceFor(env: WorkerEnv): RouteTableSource | null {
  if (env.ROUTE_TABLE) return createKvRouteTableSource(env.ROUTE_TABLE, env.ROUTE_TABLE_KEY ?? 'route-table.json')
  if (env.ROUTE_TABLE_URL) return createHttpRouteTableSource(env.ROUTE_TABLE_URL, { waitSeconds: 0 })
  return null
}

/** A Workers Rate Limiting binding of the env by name (an object with `limit`), else undefined. */
function rateLimitBindingIn(env: unknown, name: string): RateLimitBinding | undefined {
  const binding = (env as Record<string, unknown> | undefined)?.[name] as Partial<RateLimitBinding> | undefined
  return typeof binding?.limit === 'function' ? (binding as RateLimitBinding) : undefined
}

export function createWorker(options: WorkerOptions = {}) {
  const logger = createConsoleLogger({ runtime: 'cloudflare-workers' })
  const tables = new RouteTableHolder(logger, noMetrics)
  if (options.snapshot !== undefined && options.snapshot !== null) tables.load(options.snapshot, 'bundled snapshot')
  const gatewayHealth = new GatewayHealth()
  // Bindings arrive with the first request; the refresher is built then and kept.
  let refresher: ReturnType<typeof refresherFor> | undefined

  function maybeRefresh(env: WorkerEnv, ctx: ExecutionContextLike | undefined): Promise<void> | null {
    if (refresher === undefined) {
      gatewayHealth.coolDownMs = coolDownFromSeconds(env.EDGE_GATEWAY_COOLDOWN_SECONDS) ?? gatewayHealth.coolDownMs
      const refreshMs = Number(env.ROUTE_TABLE_REFRESH_SECONDS ?? options.refreshSeconds ?? 10) * 1000
      refresher = refresherFor(sourceFor(env), tables, logger, refreshMs)
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
