// The client's request body as the exchange needs it: streamed once, or buffered when it is
// small and known-length so that a retry or a mirror can send it again.
export const MAX_REPLAY_BYTES = 64 * 1024

export interface RequestBody {
  /** True when every attempt can send the same bytes (no body, or a buffered one). */
  replayable: boolean
  /** The buffered bytes, or null (no body, or streamed). */
  bytes: Uint8Array<ArrayBuffer> | null
  /** The body for the next attempt; a stream can be taken once. */
  forAttempt(): Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null
}

const none: RequestBody = { replayable: true, bytes: null, forAttempt: () => null }

export async function readRequestBody(request: Request, wantReplay: boolean, maxReplayBytes = MAX_REPLAY_BYTES): Promise<RequestBody> {
  if (request.body === null || request.method === 'GET' || request.method === 'HEAD') return none
  const declared = request.headers.get('content-length')
  const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null
  if (length === 0) return none
  if (wantReplay && length !== null && length <= maxReplayBytes) {
    const bytes = new Uint8Array(await request.arrayBuffer())
    return { replayable: true, bytes, forAttempt: () => bytes }
  }
  let stream: ReadableStream<Uint8Array> | null = request.body
  return {
    replayable: false,
    bytes: null,
    forAttempt() {
      if (stream === null) throw new Error('a streamed request body can be sent only once')
      const once = stream
      stream = null
      return once
    },
  }
}
