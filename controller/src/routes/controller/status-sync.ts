// Writes route status apart from the compile-and-publish path, so that thousands of status
// writes never delay a table: the latest compile result is offered, and one loop at a time
// turns it into the writes that change something (status/updates.ts) and the Events. A write
// already made from the same resourceVersion is not repeated while the watch catches up; a
// refused write (conflict, apiserver down) is retried after a pause from the newer cache.
// stop() aborts the writes in flight: a replica that lost its Lease stops writing at once.
import type { Logger } from '../../observability/logger'
import { ConflictError, NotFoundError } from '../../ports/kubernetes'
import type { RouteStatusWriter } from '../../ports/route-status'
import { errorMessage } from '../../reconcile/errors'
import type { EventRecorder } from '../../reconcile/event-recorder'
import { canonicalJson } from '../../../../edge/src/route-table/revision'
import type { CompileResult, ObjectRef } from '../results'
import { routeEvents, type ObjectIdentity } from '../status/events'
import { statusUpdates, type CachedObjects, type StatusOptions, type StatusUpdate } from '../status/updates'

export interface StatusSyncOptions {
  writer: RouteStatusWriter
  events: EventRecorder
  cached: () => CachedObjects
  identify: (ref: ObjectRef) => ObjectIdentity | null
  statusOptions: () => Omit<StatusOptions, 'now'>
  logger: Logger
  metrics: { statusWrite(kind: string, result: 'written' | 'conflict' | 'error'): void }
  concurrency?: number
  retryMs?: number
}

export class StatusSync {
  private latest: CompileResult | null = null
  private last: CompileResult | null = null
  private running: Promise<void> | null = null
  private retryTimer: NodeJS.Timeout | null = null
  private stopped = false
  private readonly aborter = new AbortController()
  private readonly written = new Map<string, { status: string; basedOn: string }>()

  constructor(private readonly options: StatusSyncOptions) {}

  offer(result: CompileResult): void {
    if (this.stopped) return
    this.latest = result
    this.running ??= this.loop().finally(() => (this.running = null))
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.aborter.abort()
    await this.running
  }

  /** Resolves when every offered result has been written (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running) await this.running
  }

  private async loop(): Promise<void> {
    while (this.latest && !this.stopped) {
      const result = this.latest
      this.latest = null
      this.last = result
      const failures = await this.sync(result)
      if (failures > 0) this.retryLater()
    }
  }

  private async sync(result: CompileResult): Promise<number> {
    const { writer, events, logger, metrics } = this.options
    const updates = statusUpdates(result, this.options.cached(), { ...this.options.statusOptions(), now: new Date().toISOString() }).filter((u) => !this.alreadyWritten(u))
    let failures = 0
    let next = 0
    const work = async () => {
      while (next < updates.length && !this.stopped) {
        const update = updates[next++]!
        try {
          await writer.write(update, this.aborter.signal)
          this.written.set(keyOf(update), { status: canonicalJson(update.status), basedOn: update.resourceVersion })
          metrics.statusWrite(update.kind, 'written')
        } catch (error) {
          if (error instanceof NotFoundError || this.stopped) continue // deleted meanwhile, or stopping: nothing to report
          failures++
          metrics.statusWrite(update.kind, error instanceof ConflictError ? 'conflict' : 'error')
          if (!(error instanceof ConflictError)) logger.warn({ object: keyOf(update), err: errorMessage(error) }, 'could not write route status; will retry')
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 16, updates.length) }, work))
    for (const event of routeEvents(result, this.options.identify)) if (!this.stopped) await events.record(event)
    return failures
  }

  private alreadyWritten(update: StatusUpdate): boolean {
    const before = this.written.get(keyOf(update))
    return before !== undefined && before.basedOn === update.resourceVersion && before.status === canonicalJson(update.status)
  }

  private retryLater(): void {
    if (this.retryTimer || this.stopped) return
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null
      if (this.last && !this.latest) this.offer(this.last)
    }, this.options.retryMs ?? 1_000)
    this.retryTimer.unref()
  }
}

const keyOf = (u: StatusUpdate) => `${u.kind}/${u.namespace}/${u.name}`
