// The headers the gateway receives: the client's, minus hop-by-hop ones, plus X-Forwarded-* and
// X-Request-Id. The edge is the trust boundary, so X-Forwarded-Proto/-Host are overwritten;
// X-Forwarded-For is appended to, as every proxy in a chain does.
import { copyHeaders } from './header-list'
import { dropHopByHop } from './hop-by-hop'
import type { Scheme } from './types'

export interface ForwardingContext {
  /** Host header for the gateway. */
  host: string
  /** The host the client addressed (X-Forwarded-Host). */
  clientHost: string
  scheme: Scheme
  clientAddress: string | null
  requestId: string
}

export function buildUpstreamHeaders(incoming: Headers, context: ForwardingContext): Headers {
  const headers = copyHeaders(incoming)
  dropHopByHop(headers, true)
  // undici refuses `Expect` and the edge never answers 100-continue itself: the body is streamed anyway.
  headers.delete('expect')
  headers.set('host', context.host)
  if (context.clientAddress !== null) {
    const previous = headers.get('x-forwarded-for')
    headers.set('x-forwarded-for', previous ? `${previous}, ${context.clientAddress}` : context.clientAddress)
  }
  headers.set('x-forwarded-proto', context.scheme)
  headers.set('x-forwarded-host', context.clientHost)
  headers.set('x-request-id', context.requestId)
  return headers
}
