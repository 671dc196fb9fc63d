// Retries of throttled AWS calls with exponential, jittered backoff. Only
// throttling is retried here: the call was refused before AWS did anything, so a retry is
// always safe. Other errors go to the reconcile loop, which re-reads state before acting.
import { backoffDelay } from '../../reconcile/backoff'

const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
])

export function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown }
    for (const value of [e.Code, e.code, e.name]) if (typeof value === 'string' && value !== 'Error') return value
  }
  return 'UnknownError'
}

export const isThrottling = (error: unknown) => THROTTLING_CODES.has(errorCode(error))

export interface RetryOptions {
  maxAttempts: number
  baseMs: number
  maxMs: number
  /** Called before each attempt after the first, with the delay that was waited. */
  onRetry?: (attempt: number, delayMs: number) => void
  /** Ends the waiting between attempts: the abort reason is thrown. */
  signal?: AbortSignal
}

export async function retryThrottled<T>(call: () => Promise<T>, options: RetryOptions, sleep = defaultSleep): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (error) {
      if (!isThrottling(error) || attempt >= options.maxAttempts) throw error
      const delay = backoffDelay(attempt - 1, { baseMs: options.baseMs, maxMs: options.maxMs })
      options.onRetry?.(attempt + 1, delay)
      await sleep(delay, options.signal)
    }
  }
}

/** `promise`, or the abort reason as soon as `signal` aborts. */
export const untilAborted = <T>(promise: Promise<T>, signal: AbortSignal): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error)
    const abort = () => reject(signal.reason as Error)
    signal.addEventListener('abort', abort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error)
    const timer = setTimeout(done, ms)
    const abort = () => (clearTimeout(timer), reject(signal!.reason as Error))
    signal?.addEventListener('abort', abort, { once: true })
    function done() {
      signal?.removeEventListener('abort', abort)
      resolve()
    }
  })
