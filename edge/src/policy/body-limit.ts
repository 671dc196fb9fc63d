// Request size limits (EdgePolicy maxRequestBodyBytes): a declared Content-Length over the limit
// is refused before anything is sent upstream; a body of unknown length (chunked) is counted as
// it streams and cut off at the limit, and the edge answers 413 instead of the gateway.

export class RequestBodyTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the request body is larger than ${maxBytes} bytes`)
    this.name = 'RequestBodyTooLarge'
  }
}

/** True when the request declares a body longer than `maxBytes`. */
export function declaresTooLarge(headers: Headers, maxBytes: number): boolean {
  const declared = headers.get('content-length')
  return declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes
}

export interface CappedBody {
  stream: ReadableStream<Uint8Array>
  exceeded(): boolean
  /**
   * Aborts once the limit is passed. The exchange stops its attempt on it: not every client
   * stops sending when its body stream fails (workerd's fetch ends the body instead, so the
   * gateway would see a truncated request).
   */
  signal: AbortSignal
}

/** The stream with at most `maxBytes`; past them it fails with RequestBodyTooLarge, `exceeded()` turns true and `signal` aborts. */
export function capBody(stream: ReadableStream<Uint8Array>, maxBytes: number): CappedBody {
  let seen = 0
  const tooLarge = new AbortController()
  const capped = stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength
        if (seen <= maxBytes) return controller.enqueue(chunk)
        const error = new RequestBodyTooLarge(maxBytes)
        tooLarge.abort(error)
        controller.error(error)
      },
    }),
  )
  return { stream: capped, exceeded: () => tooLarge.signal.aborted, signal: tooLarge.signal }
}
