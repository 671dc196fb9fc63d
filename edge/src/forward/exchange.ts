// Runs a forward plan through a Forwarder: the request deadline (retries included), the
// per-attempt backend deadline, retries (only when the plan allows them and the body can be
// sent again) and the client's own abort. Never hangs: every path ends at the deadline.
import type { ForwardPlan } from '../dispatch/types'
import { DeadlineExceeded, UpstreamError, type Forwarder, type UpstreamResponse } from './forwarder'
import type { RequestBody } from './request-body'

export interface ExchangeResult {
  response: UpstreamResponse
  attempts: number
}

export interface ExchangeHooks {
  /** Called after each attempt (status 0 when there was no response). */
  onAttempt?(status: number, seconds: number): void
  now?(): number
}

export async function exchange(
  plan: ForwardPlan,
  body: RequestBody,
  forwarder: Forwarder,
  clientSignal: AbortSignal | null,
  hooks: ExchangeHooks = {},
): Promise<ExchangeResult> {
  const now = hooks.now ?? (() => performance.now())
  const deadline = now() + plan.timeouts.requestMs
  const attempts = plan.retry !== null && body.replayable ? Math.max(1, plan.retry.attempts) : 1
  for (let attempt = 1; ; attempt++) {
    const remaining = deadline - now()
    const last = attempt >= attempts
    const isRequestDeadline = plan.timeouts.backendMs === null || plan.timeouts.backendMs >= remaining
    const limit = new Limit(isRequestDeadline ? remaining : plan.timeouts.backendMs!, clientSignal)
    const started = now()
    try {
      const response = await forwarder.forward({
        url: plan.upstream.url,
        method: plan.upstream.method,
        headers: plan.upstream.headers,
        body: body.forAttempt(),
        signal: limit.signal,
      })
      hooks.onAttempt?.(response.status, (now() - started) / 1000)
      if (!last && plan.retry!.onStatus.includes(response.status) && canWait(plan.retry!.backoffMs, deadline - now(), clientSignal)) {
        limit.release()
        await response.body?.cancel().catch(() => {})
        await sleep(plan.retry!.backoffMs)
        continue
      }
      // The deadline keeps running while the body streams: it is released when the body ends.
      return { response: withRelease(response, () => limit.release()), attempts: attempt }
    } catch (error) {
      limit.release()
      hooks.onAttempt?.(0, (now() - started) / 1000)
      const failure = error instanceof UpstreamError ? error : new UpstreamError('failed', String(error), { cause: error })
      const retryable = !last && !(failure.failure === 'timeout' && isRequestDeadline) && canWait(plan.retry!.backoffMs, deadline - now(), clientSignal)
      if (!retryable) throw failure
      await sleep(plan.retry!.backoffMs)
    }
  }
}

/** An AbortSignal that fires at `ms` (with DeadlineExceeded) or when the client goes away. */
class Limit {
  readonly signal: AbortSignal
  private readonly timer: ReturnType<typeof setTimeout>
  private readonly clientSignal: AbortSignal | null
  private readonly onClientAbort: () => void

  constructor(ms: number, clientSignal: AbortSignal | null) {
    const controller = new AbortController()
    const timeoutMs = Math.max(0, Math.ceil(ms))
    this.signal = controller.signal
    this.clientSignal = clientSignal
    this.onClientAbort = () => controller.abort(clientSignal?.reason)
    this.timer = setTimeout(() => controller.abort(new DeadlineExceeded(timeoutMs)), timeoutMs)
    if (clientSignal?.aborted) controller.abort(clientSignal.reason)
    else clientSignal?.addEventListener('abort', this.onClientAbort, { once: true })
  }

  release(): void {
    clearTimeout(this.timer)
    this.clientSignal?.removeEventListener('abort', this.onClientAbort)
  }
}

/** Another attempt only when its backoff ends before the deadline and the client is still there. */
const canWait = (backoffMs: number, remainingMs: number, clientSignal: AbortSignal | null) => backoffMs < remainingMs && !clientSignal?.aborted

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Calls `release` once the body is fully read, fails or is cancelled (or at once without a body). */
function withRelease(response: UpstreamResponse, release: () => void): UpstreamResponse {
  if (response.body === null) {
    release()
    return response
  }
  const reader = response.body.getReader()
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (done) {
          release()
          controller.close()
        } else controller.enqueue(value)
      } catch (error) {
        release()
        controller.error(error)
      }
    },
    cancel(reason) {
      release()
      return reader.cancel(reason)
    },
  })
  return { ...response, body }
}
