// The edge on Cloudflare Workers: the route table comes from a KV binding (re-read in the
// background every `refreshSeconds`) or from a snapshot bundled into the script. Forwarding
// uses fetch, which cannot set Host: the gateway gets its own address as Host and the client's
// host in X-Forwarded-Host (docs/edge.md).
import type { Hono } from 'hono'
import { createEdgeApp } from '../app'
import { coolDownFromSeconds, GatewayHealth } from '../failover/gateway-health'
import { createFetchForwarder } from '../forward/fetch-forwarder'
import { createConsoleLogger } from '../observability/logger'
import { noMetrics, type EdgeMetrics } from '../observability/metrics'
import { RouteTableHolder } from '../table/route-table-holder'

/** The subset of the Workers KV binding the edge uses. */
export interface KvNamespaceLike {
  get(key: string, options: { type: 'text'; cacheTtl?: number }): Promise<string | null>
}

export interface WorkerEnv {
  /** KV namespace holding the published route table. */
  ROUTE_TABLE?: KvNamespaceLike
  /** Key of the table in ROUTE_TABLE; default `route-table.json`. */
  ROUTE_TABLE_KEY?: string
  /** Seconds between KV reads (a var); default 10. */
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

export function createWorker(options: WorkerOptions = {}) {
  const logger = createConsoleLogger({ runtime: 'cloudflare-workers' })
  const tables = new RouteTableHolder(logger, noMetrics)
  const gatewayHealth = new GatewayHealth()
  if (options.snapshot !== undefined && options.snapshot !== null) tables.load(options.snapshot, 'bundled snapshot')
  let lastText: string | null = null
  let lastCheck = -Infinity
  let inflight: Promise<void> | null = null

  async function refresh(env: WorkerEnv): Promise<void> {
    const key = env.ROUTE_TABLE_KEY ?? 'route-table.json'
    try {
      const text = await env.ROUTE_TABLE!.get(key, { type: 'text' })
      if (text === null) logger.warn({ key }, 'no route table in KV yet')
      else if (text !== lastText) {
        lastText = text
        tables.load(text, `kv:${key}`)
      }
    } catch (error) {
      // The last good table keeps serving while KV is unreachable.
      logger.error({ key, error: String(error) }, 'cannot read the route table from KV')
    }
  }

  function maybeRefresh(env: WorkerEnv, ctx: ExecutionContextLike | undefined): Promise<void> | null {
    gatewayHealth.coolDownMs = coolDownFromSeconds(env.EDGE_GATEWAY_COOLDOWN_SECONDS) ?? gatewayHealth.coolDownMs
    const refreshMs = Number(env.ROUTE_TABLE_REFRESH_SECONDS ?? options.refreshSeconds ?? 10) * 1000
    if (!env.ROUTE_TABLE || Date.now() - lastCheck < refreshMs) return null
    lastCheck = Date.now()
    inflight ??= refresh(env).finally(() => (inflight = null))
    ctx?.waitUntil(inflight)
    return inflight
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
