// The edge's answer when no gateway gave a response: 504 for a timeout, 502 otherwise, with
// every gateway tried named in the JSON error.
import type { ForwardPlan } from '../dispatch/types'
import { ExchangeFailed } from '../forward/exchange'
import { UpstreamError, toUpstreamError } from '../forward/forwarder'

export interface UpstreamFailureAnswer {
  status: 502 | 504
  message: string
  /** For the request log line. */
  logFields: Record<string, unknown>
}

const NOT_ABORTED = { aborted: false, reason: undefined }

export function upstreamFailure(error: unknown, plan: ForwardPlan): UpstreamFailureAnswer {
  const failure = error instanceof UpstreamError ? error : toUpstreamError(error, NOT_ABORTED)
  const tried = error instanceof ExchangeFailed ? error.tried : [plan.gateway]
  return {
    status: failure.failure === 'timeout' ? 504 : 502,
    message: `${tried.map((g) => `gateway ${g.id} (${g.address}:${g.port})`).join(', then ')}: ${failure.message}`,
    logFields: { error: failure.message, ...(tried.length > 1 ? { tried: tried.map((g) => g.id) } : {}) },
  }
}
