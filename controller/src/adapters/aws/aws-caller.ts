// Every AWS call goes through here: the action's client-side rate limit, retries on
// throttling, a metric per attempt (action + outcome) and our own error type.
import { AwsApiError } from '../../ports/elbv2'
import type { Logger } from '../../observability/logger'
import type { AwsMetrics } from '../../observability/metrics'
import type { RateLimiter } from './rate-limiter'
import { errorCode, isThrottling, retryThrottled, type RetryOptions } from './retry'

export interface AwsCallerOptions {
  limiter: RateLimiter
  metrics: AwsMetrics
  logger: Logger
  retry?: Partial<RetryOptions>
}

// A lookup by name that finds nothing is an answer, not a failure.
const outcomeOf = (error: unknown) => (isThrottling(error) ? 'throttled' : /NotFound$/.test(errorCode(error)) ? 'not-found' : 'error')

export class AwsCaller {
  private readonly retry: RetryOptions

  constructor(private readonly options: AwsCallerOptions) {
    this.retry = { maxAttempts: 10, baseMs: 200, maxMs: 10_000, ...options.retry }
  }

  async call<T>(service: string, action: string, send: () => Promise<T>): Promise<T> {
    const { limiter, metrics, logger } = this.options
    const attempt = async () => {
      await limiter.take(action)
      const started = performance.now()
      try {
        const result = await send()
        metrics.calls.inc({ service, action, outcome: 'success' })
        return result
      } catch (error) {
        metrics.calls.inc({ service, action, outcome: outcomeOf(error) })
        throw error
      } finally {
        metrics.callSeconds.observe({ service, action }, (performance.now() - started) / 1000)
      }
    }
    try {
      return await retryThrottled(attempt, {
        ...this.retry,
        onRetry: (n, delayMs) => logger.debug({ service, action, attempt: n, delayMs }, 'AWS call throttled; retrying'),
      })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      throw new AwsApiError(action, errorCode(error), message, isThrottling(error))
    }
  }
}
