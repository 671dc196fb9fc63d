// Workers pulling keys from a WorkQueue and reconciling them: success forgets the key's
// backoff, RequeueAfter retries after its delay, a write conflict retries shortly (the
// cache is behind, usually by our own previous write), PermanentError waits for the next
// change, Aborted (the replica stopped leading or shuts down) ends the key without a retry
// (the next leader resyncs every key), anything else retries with exponential backoff.
// Generic over what a key names.
import { ConflictError } from '../ports/kubernetes'
import type { Logger } from '../observability/logger'
import type { ControllerMetrics } from '../observability/metrics'
import { Aborted, errorMessage, PermanentError, RequeueAfter } from './errors'
import type { WorkQueue } from './work-queue'

export interface ControllerLoopOptions {
  name: string
  workers: number
  queue: WorkQueue<string>
  reconcile: (key: string) => Promise<void>
  logger: Logger
  metrics: ControllerMetrics
}

const CONFLICT_RETRY_MS = 250

export class ControllerLoop {
  private running: Promise<void>[] = []

  constructor(private readonly options: ControllerLoopOptions) {}

  start(): void {
    if (this.running.length > 0) return
    for (let i = 0; i < this.options.workers; i++) this.running.push(this.work())
  }

  /** Stops taking keys and waits for the reconciles in progress to finish. */
  async stop(): Promise<void> {
    this.options.queue.shutDown()
    await Promise.all(this.running)
    this.running = []
  }

  private async work(): Promise<void> {
    const { queue, name, logger, metrics } = this.options
    for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
      const started = performance.now()
      let result: 'success' | 'requeue' | 'error' | 'permanent-error' | 'aborted' = 'success'
      try {
        await this.options.reconcile(key)
        queue.forget(key)
      } catch (error) {
        if (error instanceof RequeueAfter) {
          result = 'requeue'
          queue.addAfter(key, error.delayMs)
          logger.debug({ controller: name, key, delayMs: error.delayMs, reason: error.message }, 'requeued')
        } else if (error instanceof ConflictError) {
          result = 'requeue'
          queue.addAfter(key, CONFLICT_RETRY_MS)
          logger.debug({ controller: name, key, reason: error.message }, 'write conflict; retrying with a fresher object')
        } else if (error instanceof Aborted) {
          result = 'aborted'
          logger.info({ controller: name, key, reason: error.message }, 'reconcile aborted')
        } else if (error instanceof PermanentError) {
          result = 'permanent-error'
          queue.forget(key)
          logger.warn({ controller: name, key, err: errorMessage(error) }, 'reconcile failed; waiting for the object to change')
        } else {
          result = 'error'
          const delayMs = queue.addRateLimited(key)
          logger.warn({ controller: name, key, err: errorMessage(error), retryInMs: delayMs, failures: queue.failures(key) }, 'reconcile failed; will retry')
        }
      } finally {
        queue.done(key)
        metrics.reconciles.inc({ controller: name, result })
        metrics.reconcileSeconds.observe({ controller: name }, (performance.now() - started) / 1000)
      }
    }
  }
}
