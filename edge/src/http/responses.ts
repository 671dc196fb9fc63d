// Responses the edge writes itself. Errors carry a small JSON body a user can read and quote.
import { dropHopByHop } from '../dispatch/hop-by-hop'
import { applyHeaderModifier } from '../dispatch/header-modifier'
import type { ForwardPlan, RespondPlan } from '../dispatch/types'

export interface ErrorBody {
  error: string
  status: number
  requestId: string
}

export function errorResponse(status: number, error: string, requestId: string, extraHeaders: [string, string][] = []): Response {
  const body: ErrorBody = { error, status, requestId }
  return new Response(JSON.stringify(body), {
    status,
    headers: [['content-type', 'application/json'], ['cache-control', 'no-store'], ['x-request-id', requestId], ...extraHeaders],
  })
}

/** The edge's own answer for a respond plan: a JSON error, a redirect or a CORS preflight. */
export function planResponse(plan: RespondPlan, requestId: string): Response {
  if (plan.error !== null) return errorResponse(plan.status, plan.error, requestId, plan.headers)
  return new Response(null, { status: plan.status, headers: [...plan.headers, ['x-request-id', requestId]] })
}

const NO_BODY = new Set([101, 204, 205, 304])

/** True when the client's response carries no body whatever the gateway sent. */
export const responseHasNoBody = (status: number, method: string): boolean => NO_BODY.has(status) || method === 'HEAD'

type ResponsePlan = Pick<ForwardPlan, 'responseHeaderModifiers' | 'responseHeaders'>

/** The upstream response headers as the client gets them, in place: hop-by-hop dropped, response filters and CORS applied, X-Request-Id added. */
export function finishResponseHeaders(plan: ResponsePlan, headers: Headers, requestId: string): void {
  dropHopByHop(headers)
  for (const modifier of plan.responseHeaderModifiers) applyHeaderModifier(headers, modifier)
  for (const [name, value] of plan.responseHeaders) {
    if (name === 'vary') headers.append(name, value)
    else headers.set(name, value)
  }
  if (!headers.has('x-request-id')) headers.set('x-request-id', requestId)
}

/** The upstream response as the client gets it (see finishResponseHeaders). */
export function clientResponse(plan: ForwardPlan, status: number, upstreamHeaders: Headers, body: ReadableStream<Uint8Array> | null, requestId: string): Response {
  const headers = new Headers(upstreamHeaders)
  finishResponseHeaders(plan, headers, requestId)
  if (responseHasNoBody(status, plan.upstream.method)) {
    void body?.cancel().catch(() => {})
    return new Response(null, { status, headers })
  }
  return new Response(body, { status, headers })
}
