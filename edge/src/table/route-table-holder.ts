// The route table the edge serves, swapped atomically: a request sees one (table, matcher) pair
// from start to end. A table that does not parse is refused, logged and counted, and the last
// good one keeps serving. Every table source (bundled snapshot, file, KV, S3, HTTP) feeds `load`.
import { buildMatcher } from '../route-table/matcher'
import type { RouteMatcher } from '../route-table/match-types'
import { parseRouteTable } from '../route-table/parse'
import type { RouteTable } from '../route-table/types'
import type { Logger } from '../observability/logger'
import type { EdgeMetrics } from '../observability/metrics'

export interface ServingTable {
  table: RouteTable
  matcher: RouteMatcher
}

export type LoadResult =
  | { ok: true; revision: string; changed: boolean }
  | { ok: false; error: { path: string; message: string } }

export class RouteTableHolder {
  private serving: ServingTable | null = null

  constructor(
    private readonly logger: Logger,
    private readonly metrics: EdgeMetrics,
  ) {}

  current(): ServingTable | null {
    return this.serving
  }

  /** Parses, validates and indexes `input` (JSON text or a parsed value), then swaps it in. */
  load(input: string | unknown, origin: string): LoadResult {
    const parsed = parseRouteTable(input)
    if (!parsed.ok) return this.refuse(parsed.error, origin)
    const table = parsed.table
    if (this.serving?.table.revision === table.revision) return { ok: true, revision: table.revision, changed: false }
    let matcher: RouteMatcher
    try {
      matcher = buildMatcher(table)
    } catch (error) {
      return this.refuse({ path: '$', message: `cannot index the table: ${error instanceof Error ? error.message : String(error)}` }, origin)
    }
    const previous = this.serving?.table.revision ?? null
    this.serving = { table, matcher }
    this.metrics.tableLoad(true, table.revision)
    this.logger.info({ event: 'route-table-loaded', origin, revision: table.revision, previous, hosts: table.hosts.length }, 'route table loaded')
    return { ok: true, revision: table.revision, changed: true }
  }

  private refuse(error: { path: string; message: string }, origin: string): LoadResult {
    this.metrics.tableLoad(false, null)
    this.logger.error(
      { event: 'route-table-refused', origin, error, serving: this.serving?.table.revision ?? null },
      this.serving ? 'route table refused; the last good table keeps serving' : 'route table refused; no table to serve yet',
    )
    return { ok: false, error }
  }
}
