// The client's response headers on the Node fast path, as a flat list for writeHead: what
// finishResponseHeaders gives (hop-by-hop headers dropped, response filters and CORS applied,
// X-Request-Id added). Without response filters, that is done here over undici's header object
// without building a web Headers.
import { hopByHopFor } from '../../dispatch/hop-by-hop'
import type { ForwardPlan } from '../../dispatch/types'
import { finishResponseHeaders } from '../../http/responses'

export type UpstreamHeaders = Record<string, string | string[] | undefined>

export function clientHeaders(plan: ForwardPlan, upstream: UpstreamHeaders, requestId: string): string[] {
  const flat: string[] = []
  if (plan.responseHeaderModifiers.length > 0 || plan.responseHeaders.length > 0) {
    const headers = new Headers()
    for (const name in upstream) for (const value of valuesOf(upstream[name])) headers.append(name, value)
    finishResponseHeaders(plan, headers, requestId)
    for (const [name, value] of headers) flat.push(name, value)
    return flat
  }
  const connection = upstream.connection
  const isHop = hopByHopFor(connection === undefined ? null : typeof connection === 'string' ? connection : connection.join(','))
  for (const name in upstream) {
    if (isHop(name)) continue
    const value = upstream[name]
    if (typeof value === 'string') flat.push(name, value)
    else if (value !== undefined) for (const v of value) flat.push(name, v)
  }
  if (upstream['x-request-id'] === undefined) flat.push('x-request-id', requestId)
  return flat
}

const valuesOf = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value])
