// Forwarder for Node (and Lambda): undici.request over a keep-alive Agent. The global fetch is
// about 10x slower as a proxy client on Node 20 (TOOLCHAIN.md) and cannot set Host.
import { Readable } from 'node:stream'
import { Agent, request } from 'undici'
import { toUpstreamError, type Forwarder, type UpstreamCall, type UpstreamResponse } from './forwarder'

export interface UndiciForwarderOptions {
  /** Idle keep-alive connections per gateway. */
  connections?: number
  keepAliveTimeoutMs?: number
  connectTimeoutMs?: number
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of headers) out[name] = value
  return out
}

function webHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers()
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue
    if (Array.isArray(value)) for (const v of value) headers.append(name, v)
    else headers.append(name, value)
  }
  return headers
}

/**
 * A web stream over undici's body with backpressure. Not Readable.toWeb: on Node 20, cancelling
 * its stream while data is still arriving throws ERR_INVALID_STATE from an event handler,
 * which would crash the process (seen when a retry cancels a 503 body).
 */
function toWebStream(body: Readable): ReadableStream<Uint8Array> {
  let done = false
  return new ReadableStream<Uint8Array>({
    start(controller) {
      body.on('data', (chunk: Buffer) => {
        if (done) return
        controller.enqueue(chunk)
        if ((controller.desiredSize ?? 0) <= 0) body.pause()
      })
      body.once('end', () => {
        if (done) return
        done = true
        controller.close()
      })
      body.once('error', (error) => {
        if (done) return
        done = true
        controller.error(error)
      })
    },
    pull() {
      body.resume()
    },
    cancel() {
      done = true
      body.destroy()
    },
  })
}

/** The keep-alive pools to the gateways; the Node fast path dispatches on the same one. */
export function createGatewayAgent(options: UndiciForwarderOptions = {}): Agent {
  return new Agent({
    connections: options.connections ?? 128,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
    connect: { timeout: options.connectTimeoutMs ?? 5_000 },
    // The edge enforces its own deadlines through the signal.
    headersTimeout: 0,
    bodyTimeout: 0,
  })
}

export function createUndiciForwarder(options: UndiciForwarderOptions = {}, agent: Agent = createGatewayAgent(options)): Forwarder {
  return {
    async forward(call: UpstreamCall): Promise<UpstreamResponse> {
      try {
        const body = call.body instanceof ReadableStream ? Readable.fromWeb(call.body as import('node:stream/web').ReadableStream) : call.body
        const response = await request(call.url, {
          dispatcher: agent,
          method: call.method as 'GET',
          headers: headerRecord(call.headers),
          body,
          signal: call.signal,
        })
        const status = response.statusCode
        const noBody = call.method === 'HEAD' || status === 204 || status === 304
        if (noBody) response.body.resume()
        return {
          status,
          headers: webHeaders(response.headers),
          body: noBody ? null : toWebStream(response.body),
        }
      } catch (error) {
        throw toUpstreamError(error, call.signal)
      }
    },
    close: () => agent.close(),
  }
}
