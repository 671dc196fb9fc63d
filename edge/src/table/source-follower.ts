// Keeps reading one route-table source for as long as the edge runs (Node): a long-poll
// source is read again at once, others after an interval or their own change signal. A source
// that fails (down, garbage, nothing published) is retried with backoff; whatever it did
// before stays served, because only `onTable` changes what the edge serves.
import type { Logger } from '../observability/logger'
import type { EdgeMetrics } from '../observability/metrics'
import type { RouteTableSource } from './route-table-source'

export interface FollowOptions {
  /** Between reads of a source that does not block; default 1 s. */
  intervalMs?: number
  /** Retry delays after failures grow from this ... */
  minBackoffMs?: number
  /** ... to this. */
  maxBackoffMs?: number
}

/**
 * Reads `source` until `signal` aborts. `onTable` returns whether the text was accepted: a
 * refused table keeps its tag, so an unchanged source is not fetched and refused again.
 * `onWithdrawn` runs when a withdrawable source reports its table gone.
 */
export async function followSource(
  source: RouteTableSource,
  onTable: (text: string) => boolean | Promise<boolean>,
  hooks: { logger: Logger; metrics: EdgeMetrics; signal: AbortSignal; onWithdrawn?: () => unknown },
  options: FollowOptions = {},
): Promise<void> {
  const { logger, metrics, signal } = hooks
  const intervalMs = options.intervalMs ?? 1_000
  const minBackoffMs = options.minBackoffMs ?? 500
  const maxBackoffMs = options.maxBackoffMs ?? 30_000
  let tag: string | null = null
  let failures = 0
  while (!signal.aborted) {
    let delay = source.blocking ? 0 : intervalMs
    try {
      const read = await source.read(tag, signal)
      if (signal.aborted) break
      if (read.kind === 'table') {
        const accepted = await onTable(read.text)
        metrics.sourceRead?.(source.name, accepted ? 'table' : 'refused')
        tag = read.tag
        if (!accepted) delay = backoff(failures++, minBackoffMs, maxBackoffMs)
        else failures = 0
      } else if (read.kind === 'unchanged') {
        metrics.sourceRead?.(source.name, 'unchanged')
        failures = 0
      } else {
        // A table published again later must be read again even if it is the same object.
        tag = null
        if (source.withdrawable) await hooks.onWithdrawn?.()
        metrics.sourceRead?.(source.name, 'missing')
        if (failures === 0) logger.warn({ event: 'route-table-source-empty', source: source.name }, 'no route table published at the source yet')
        // Looked for again soon: the publisher may just be starting.
        const retry = Math.min(5_000, backoff(failures++, minBackoffMs, maxBackoffMs))
        delay = source.blocking ? retry : Math.max(intervalMs, retry)
      }
    } catch (error) {
      if (signal.aborted) break
      metrics.sourceRead?.(source.name, 'error')
      delay = backoff(failures++, minBackoffMs, maxBackoffMs)
      logger.error(
        { event: 'route-table-source-failed', source: source.name, error: error instanceof Error ? error.message : String(error), retryInMs: delay },
        'cannot read the route table source; the last good table keeps serving',
      )
    }
    if (delay > 0) await (source.waitForChange ? source.waitForChange(delay, signal) : sleep(delay, signal))
  }
}

const backoff = (failures: number, min: number, max: number) => Math.min(max, min * 2 ** Math.min(failures, 16))

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
