// Emits Events without flooding: the same event (object, type, reason, message) is sent
// once per window, and a failure to write an Event is logged, never thrown (an Event is a
// courtesy to the user, not part of the reconcile's outcome).
import type { EventRecord, EventSink } from '../ports/kubernetes'
import type { Logger } from '../observability/logger'
import { errorMessage } from './errors'

export class EventRecorder {
  private readonly sent = new Map<string, number>()

  constructor(
    private readonly sink: EventSink,
    private readonly logger: Logger,
    private readonly windowMs = 10 * 60_000,
  ) {}

  async record(event: EventRecord): Promise<void> {
    const r = event.regarding
    const key = JSON.stringify([r.kind, r.namespace, r.name, r.uid, event.type, event.reason, event.message])
    const now = Date.now()
    const last = this.sent.get(key)
    if (last !== undefined && now - last < this.windowMs) return
    this.sent.set(key, now)
    if (this.sent.size > 10_000) this.prune(now)
    try {
      await this.sink.create(event)
    } catch (error) {
      this.logger.warn({ err: errorMessage(error), reason: event.reason, object: `${r.namespace}/${r.name}` }, 'could not write an Event')
    }
  }

  private prune(now: number): void {
    for (const [key, at] of this.sent) if (now - at >= this.windowMs) this.sent.delete(key)
  }
}
