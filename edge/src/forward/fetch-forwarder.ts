// Forwarder over the web-standard fetch (Workers; Lambda can use it too). fetch cannot set Host
// on Node or workerd: the URL's host is sent and the client's host travels as X-Forwarded-Host.
import { toUpstreamError, type Forwarder, type UpstreamCall, type UpstreamResponse } from './forwarder'

type FetchLike = (input: string, init: RequestInit & { duplex?: 'half' }) => Promise<Response>

export function createFetchForwarder(fetchImpl: FetchLike = (input, init) => fetch(input, init)): Forwarder {
  return {
    async forward(call: UpstreamCall): Promise<UpstreamResponse> {
      const headers = new Headers(call.headers)
      headers.delete('host')
      try {
        const response = await fetchImpl(call.url, {
          method: call.method,
          headers,
          body: call.body,
          // Upstream redirects go back to the client as they are; following them would fetch
          // from wherever the gateway points, which is not a table gateway.
          redirect: 'manual',
          signal: call.signal,
          ...(call.body instanceof ReadableStream ? { duplex: 'half' as const } : {}),
        })
        return { status: response.status, headers: response.headers, body: response.body }
      } catch (error) {
        throw toUpstreamError(error, call.signal)
      }
    },
  }
}
