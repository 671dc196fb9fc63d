// The tables of several sources (one per cluster) served as one: each source's last good table
// is kept, and the edge serves their merge (route-table/merge.ts: the same host and match in
// several clusters becomes one route over all their gateways). A source that goes quiet or
// publishes garbage keeps contributing its last good table; one that withdraws its table (the
// pointer deleted) leaves the merge.
import { mergeRouteTables } from '../route-table/merge'
import { parseRouteTable } from '../route-table/parse'
import type { RouteTable } from '../route-table/types'
import type { Logger } from '../observability/logger'
import type { EdgeMetrics } from '../observability/metrics'
import type { RouteTableHolder } from './route-table-holder'

export class ClusterTables {
  private readonly latest = new Map<string, RouteTable>()
  private merging: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly holder: RouteTableHolder,
    private readonly logger: Logger,
    private readonly metrics: EdgeMetrics,
  ) {}

  /** A new text from `source`: true when it parsed (and the merge is being served). */
  async offer(source: string, text: string): Promise<boolean> {
    if (this.latest.size === 0 || (this.latest.size === 1 && this.latest.has(source))) return this.serveAlone(source, text)
    const parsed = parseRouteTable(text)
    if (!parsed.ok) {
      this.metrics.tableLoad(false, null)
      this.logger.error(
        { event: 'route-table-refused', origin: source, error: parsed.error, serving: this.holder.current()?.table.revision ?? null },
        'route table refused; the last good table of this source keeps serving',
      )
      return false
    }
    if (this.latest.get(source)?.revision === parsed.table.revision) return true
    this.latest.set(source, parsed.table)
    return this.remerge()
  }

  /**
   * `source` withdrew its table (its pointer or file was deleted): its routes leave the merge on
   * purpose, unlike a source that fails. Without any table left the edge serves an empty one
   * (404 for every host). False when the source had nothing in the merge.
   */
  async withdraw(source: string): Promise<boolean> {
    const withdrawn = this.latest.get(source)
    if (withdrawn === undefined) return false
    this.latest.delete(source)
    this.logger.warn(
      { event: 'route-table-withdrawn', origin: source, revision: withdrawn.revision, remaining: [...this.latest.keys()] },
      'route table withdrawn at its source; its routes leave the merge',
    )
    await this.remerge()
    return true
  }

  /** Merges run one at a time, each over the latest table of every source. */
  private remerge(): Promise<boolean> {
    const done = this.merging.then(() => this.serveMerge())
    this.merging = done.catch(() => undefined)
    return done
  }

  /** The only source so far: its table is served as it is, parsed once by the holder. */
  private serveAlone(source: string, text: string): boolean {
    const loaded = this.holder.load(text, source)
    if (loaded.ok) this.latest.set(source, this.holder.current()!.table)
    return loaded.ok
  }

  private async serveMerge(): Promise<boolean> {
    const tables = [...this.latest.values()]
    const sources = [...this.latest.keys()].join(', ')
    const merged = tables.length === 1 ? tables[0]! : await mergeRouteTables(tables)
    return this.holder.load(merged, tables.length === 1 ? sources : tables.length === 0 ? 'no source (every table withdrawn)' : `merge of ${sources}`).ok
  }
}
