// The port every runtime's upstream client implements: one HTTP exchange with a table gateway.
// Web-standard types only, so the dispatch logic is the same on Node, Workers and Lambda.

export interface UpstreamCall {
  /** Absolute URL on a table gateway (never anything else: the plan builds it from the table). */
  url: string
  method: string
  /** Headers to send, `host` included (a runtime that cannot set Host sends X-Forwarded-Host only). */
  headers: Headers
  /** Null, a buffered body (replayable) or a stream (sent once). */
  body: Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null
  /** Aborts the exchange, response body included. */
  signal: AbortSignal
}

export interface UpstreamResponse {
  status: number
  /** As received; hop-by-hop headers are removed by the caller. */
  headers: Headers
  body: ReadableStream<Uint8Array> | null
}

export interface Forwarder {
  /** Resolves with the response head; rejects with UpstreamError. Redirects are returned, never followed. */
  forward(call: UpstreamCall): Promise<UpstreamResponse>
  close?(): Promise<void>
}

/** connect: the gateway refused or could not be reached (502); timeout: no answer in time (504); failed: it broke mid-way (502). */
export type UpstreamFailure = 'connect' | 'timeout' | 'failed'

export class UpstreamError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'UpstreamError'
  }
}

/** The abort reason the edge uses for its own deadlines, so forwarders can tell a timeout from a client abort. */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer from the gateway within ${timeoutMs} ms`)
    this.name = 'DeadlineExceeded'
  }
}

/** Maps whatever a client library threw to an UpstreamError, using the signal to recognise our deadlines. */
export function toUpstreamError(error: unknown, signal: Pick<AbortSignal, 'aborted' | 'reason'>): UpstreamError {
  if (error instanceof UpstreamError) return error
  if (signal.aborted && signal.reason instanceof DeadlineExceeded) return new UpstreamError('timeout', signal.reason.message, { cause: error })
  const code = errorCode(error)
  if (code !== null && CONNECT_CODES.has(code)) return new UpstreamError('connect', `cannot connect to the gateway (${code})`, { cause: error })
  if (code !== null && TIMEOUT_CODES.has(code)) return new UpstreamError('timeout', `the gateway did not answer in time (${code})`, { cause: error })
  const message = error instanceof Error ? error.message : String(error)
  return new UpstreamError('failed', `the exchange with the gateway failed: ${message}`, { cause: error })
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT'])
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'])

function errorCode(error: unknown): string | null {
  // Node and undici put the code on the error or on its cause (fetch wraps it in a TypeError).
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
  }
  return null
}
