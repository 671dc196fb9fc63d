// Every AWS call goes through here: the action's client-side rate limit, retries on
// throttling, a metric per attempt (action + outcome) and our own error type. abortInFlight()
// ends every call in progress and its retries at once (the leader lost its Lease or stops).
import { AwsApiError } from '../../ports/elbv2'
import type { Logger } from '../../observability/logger'
import type { AwsMetrics } from '../../observability/metrics'
import { Aborted } from '../../reconcile/errors'
import type { RateLimiter } from './rate-limiter'
import { errorCode, isThrottling, retryThrottled, untilAborted, type RetryOptions } from './retry'

export interface AwsCallerOptions {
  limiter: RateLimiter
  metrics: AwsMetrics
  logger: Logger
  retry?: Partial<RetryOptions>
}

// A lookup by name that finds nothing is an answer, not a failure.
const outcomeOf = (error: unknown, signal: AbortSignal) =>
  signal.aborted ? 'aborted' : isThrottling(error) ? 'throttled' : /NotFound$/.test(errorCode(error)) ? 'not-found' : 'error'

export class AwsCaller {
  private readonly retry: RetryOptions
  private aborter = new AbortController()

  constructor(private readonly options: AwsCallerOptions) {
    this.retry = { maxAttempts: 10, baseMs: 200, maxMs: 10_000, ...options.retry }
  }

  /** Aborts every call in progress (the request itself and the waits between retries); later calls run as usual. */
  abortInFlight(reason: string): void {
    this.aborter.abort(new Aborted(reason))
    this.aborter = new AbortController()
  }

  /** `send` gets the signal to hand to the SDK (`{ abortSignal }`). */
  async call<T>(service: string, action: string, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const { limiter, metrics, logger } = this.options
    const signal = this.aborter.signal
    const attempt = async () => {
      await untilAborted(limiter.take(action), signal)
      const started = performance.now()
      try {
        const result = await send(signal)
        metrics.calls.inc({ service, action, outcome: 'success' })
        return result
      } catch (error) {
        metrics.calls.inc({ service, action, outcome: outcomeOf(error, signal) })
        throw error
      } finally {
        metrics.callSeconds.observe({ service, action }, (performance.now() - started) / 1000)
      }
    }
    try {
      return await retryThrottled(attempt, {
        ...this.retry,
        signal,
        onRetry: (n, delayMs) => logger.debug({ service, action, attempt: n, delayMs }, 'AWS call throttled; retrying'),
      })
    } catch (error) {
      if (signal.aborted) throw new Aborted(`${service} ${action}: ${(signal.reason as Error).message}`)
      const message = error instanceof Error ? error.message : String(error)
      throw new AwsApiError(action, errorCode(error), message, isThrottling(error))
    }
  }
}
