// Runs a forward plan through a Forwarder: the request deadline (retries included), the
// per-attempt backend deadline, retries (only when the plan allows them and the body can be
// sent again), failover to the plan's other gateways when one gives no response, and the
// client's own abort. Never hangs: every path ends at the deadline.
import { IDEMPOTENT } from '../dispatch/idempotent'
import type { ForwardPlan, UpstreamTarget } from '../dispatch/types'
import type { Gateway } from '../route-table/types'
import { DeadlineExceeded, UpstreamError, type Forwarder, type UpstreamResponse } from './forwarder'
import { RequestBodyTooLarge } from '../policy/body-limit'
import type { RequestBody } from './request-body'

export interface ExchangeResult {
  response: UpstreamResponse
  /** Requests sent, failovers and retries included. */
  attempts: number
  /** The target that answered: the plan's own or one of its failover targets. */
  target: UpstreamTarget
}

export interface ExchangeHooks {
  /** Called after each attempt (status 0 when there was no response). */
  onAttempt?(gateway: string, status: number, seconds: number): void
  /** A gateway gave no response (refused, reset, timed out). */
  onFailure?(gateway: string, failure: UpstreamError): void
  /** False for an ejected gateway: failover skips it. */
  isAvailable?(gateway: string): boolean
  onFailover?(from: string, to: string): void
  now?(): number
}

/** No attempt got a response: the last failure, and every gateway that was tried in order. */
export class ExchangeFailed extends UpstreamError {
  constructor(
    last: UpstreamError,
    readonly tried: Gateway[],
  ) {
    super(last.failure, last.message, { cause: last })
    this.name = 'ExchangeFailed'
  }
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
  const spare = body.replayable ? [...plan.failover] : []
  const available = (t: UpstreamTarget) => hooks.isAvailable?.(t.gateway.id) ?? true
  const idempotent = IDEMPOTENT.has(plan.upstream.method)
  const tried: Gateway[] = [plan.gateway]
  let target: UpstreamTarget = plan
  let attempt = 1
  for (let sent = 1; ; sent++) {
    const remaining = deadline - now()
    const last = attempt >= attempts
    // Without a backend timeout, an idempotent request that can move gets half of what is
    // left on this gateway, so that a silent gateway leaves time for the next one.
    const attemptMs = plan.timeouts.backendMs ?? (idempotent && spare.some(available) ? remaining / 2 : remaining)
    const isRequestDeadline = attemptMs >= remaining
    // The error names the timeout the user configured, not what was left of it when the attempt began.
    const namedMs = isRequestDeadline ? plan.timeouts.requestMs : attemptMs
    const limit = new Limit(isRequestDeadline ? remaining : attemptMs, namedMs, clientSignal, body.tooLargeSignal)
    const started = now()
    try {
      const response = await forwarder.forward({
        url: target.upstream.url,
        method: target.upstream.method,
        headers: target.upstream.headers,
        body: body.forAttempt(),
        signal: limit.signal,
      })
      hooks.onAttempt?.(target.gateway.id, response.status, (now() - started) / 1000)
      if (body.tooLarge()) {
        // The gateway answered a body cut off at the limit: that answer is not the client's.
        limit.release()
        await response.body?.cancel().catch(() => {})
        throw new RequestBodyTooLarge(plan.policy.maxBodyBytes!)
      }
      if (!last && plan.retry!.onStatus.includes(response.status) && canWait(plan.retry!.backoffMs, deadline - now(), clientSignal)) {
        limit.release()
        await response.body?.cancel().catch(() => {})
        await sleep(plan.retry!.backoffMs)
        attempt++
        continue
      }
      // The deadline keeps running while the body streams: it is released when the body ends.
      return { response: withRelease(response, () => limit.release()), attempts: sent, target }
    } catch (error) {
      limit.release()
      hooks.onAttempt?.(target.gateway.id, 0, (now() - started) / 1000)
      // Neither a body cut off at the route's limit nor a client that went away is the gateway's failure.
      if (body.tooLarge()) throw new RequestBodyTooLarge(plan.policy.maxBodyBytes!)
      const failure = error instanceof UpstreamError ? error : new UpstreamError('failed', String(error), { cause: error })
      if (clientSignal?.aborted) throw failure
      hooks.onFailure?.(target.gateway.id, failure)
      const outOfTime = failure.failure === 'timeout' && isRequestDeadline
      // A refused connection never carried the request: any method may go elsewhere. After a
      // timeout or a reset the gateway may have acted on it: only idempotent requests move.
      const mayMove = !outOfTime && !clientSignal?.aborted && deadline - now() > 0 && (failure.failure === 'connect' || idempotent)
      const next = mayMove ? takeFirst(spare, available) : null
      if (next !== null) {
        hooks.onFailover?.(target.gateway.id, next.gateway.id)
        target = next
        tried.push(next.gateway)
        continue
      }
      const retryable = !last && !outOfTime && canWait(plan.retry!.backoffMs, deadline - now(), clientSignal)
      if (!retryable) throw new ExchangeFailed(failure, tried)
      attempt++
      await sleep(plan.retry!.backoffMs)
    }
  }
}

/** Removes and returns the first target that passes `ok`; targets before it are dropped (ejected). */
function takeFirst(targets: UpstreamTarget[], ok: (t: UpstreamTarget) => boolean): UpstreamTarget | null {
  while (targets.length > 0) {
    const next = targets.shift()!
    if (ok(next)) return next
  }
  return null
}

/** An AbortSignal that fires at `ms` (with DeadlineExceeded naming `namedMs`), when the client goes away or the body passes its limit. */
class Limit {
  readonly signal: AbortSignal
  private readonly timer: ReturnType<typeof setTimeout>
  private readonly sources: AbortSignal[]
  private readonly onAbort: (event: Event) => void

  constructor(ms: number, namedMs: number, ...sources: (AbortSignal | null)[]) {
    const controller = new AbortController()
    const timeoutMs = Math.max(0, Math.ceil(ms))
    this.signal = controller.signal
    this.sources = sources.filter((s): s is AbortSignal => s !== null)
    this.onAbort = (event) => controller.abort((event.target as AbortSignal).reason)
    this.timer = setTimeout(() => controller.abort(new DeadlineExceeded(Math.ceil(namedMs))), timeoutMs)
    for (const source of this.sources) {
      if (source.aborted) controller.abort(source.reason)
      else source.addEventListener('abort', this.onAbort, { once: true })
    }
  }

  release(): void {
    clearTimeout(this.timer)
    for (const source of this.sources) source.removeEventListener('abort', this.onAbort)
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
