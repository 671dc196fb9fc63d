// Publishes each new table revision to every store that does not have it yet. A store that
// fails keeps its previous table (and is tried again with the next publish); the others are
// not held back by it.
import type { RouteTable } from '../../../../edge/src/route-table/types'
import type { Logger } from '../../observability/logger'
import type { RouteTableStore } from '../../ports/route-table-store'
import { errorMessage } from '../../reconcile/errors'

export interface PublishMetrics {
  published(store: string, ok: boolean, seconds: number): void
}

export class Publisher {
  private readonly revisions = new Map<RouteTableStore, string>()
  private body: { revision: string; text: string } | null = null

  constructor(
    private readonly logger: Logger,
    private readonly metrics: PublishMetrics,
  ) {}

  /** Returns the stores that failed. */
  async publish(table: RouteTable, stores: readonly RouteTableStore[]): Promise<RouteTableStore[]> {
    const due = stores.filter((s) => this.revisions.get(s) !== table.revision)
    if (due.length === 0) return []
    if (this.body?.revision !== table.revision) this.body = { revision: table.revision, text: JSON.stringify(table) }
    const text = this.body.text
    const failed: RouteTableStore[] = []
    await Promise.all(
      due.map(async (store) => {
        const started = performance.now()
        try {
          await store.publish(table, text)
          this.revisions.set(store, table.revision)
          this.metrics.published(store.name, true, (performance.now() - started) / 1000)
          this.logger.info({ store: store.name, revision: table.revision, bytes: text.length }, 'route table published')
        } catch (error) {
          failed.push(store)
          this.metrics.published(store.name, false, (performance.now() - started) / 1000)
          this.logger.error({ store: store.name, revision: table.revision, err: errorMessage(error) }, 'could not publish the route table; readers keep the previous one')
        }
      }),
    )
    return failed
  }
}
