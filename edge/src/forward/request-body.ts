// The client's request body as the exchange needs it: streamed once, or buffered when it is
// small and known-length so that a retry or a mirror can send it again.
import { capBody } from '../policy/body-limit'

export const MAX_REPLAY_BYTES = 64 * 1024

export interface RequestBody {
  /** True when every attempt can send the same bytes (no body, or a buffered one). */
  replayable: boolean
  /** The buffered bytes, or null (no body, or streamed). */
  bytes: Uint8Array<ArrayBuffer> | null
  /** The body for the next attempt; a stream can be taken once. */
  forAttempt(): Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array> | null
  /** True once a streamed body went past the route's size limit (the attempt then fails: 413, not the gateway's fault). */
  tooLarge(): boolean
  /** Aborts when the body goes past the route's size limit (policy/body-limit.ts); null without a limit. */
  tooLargeSignal: AbortSignal | null
}

const no = () => false
const none: RequestBody = { replayable: true, bytes: null, forAttempt: () => null, tooLarge: no, tooLargeSignal: null }

/**
 * `maxBodyBytes`: the route's size limit, or null. A declared length over it was refused before
 * (policy/enforce.ts); a body of unknown length is cut off at it while it streams.
 */
export async function readRequestBody(request: Request, wantReplay: boolean, maxReplayBytes = MAX_REPLAY_BYTES, maxBodyBytes: number | null = null): Promise<RequestBody> {
  if (request.body === null || request.method === 'GET' || request.method === 'HEAD') return none
  const declared = request.headers.get('content-length')
  const length = declared !== null && /^\d+$/.test(declared) ? Number(declared) : null
  if (length === 0) return none
  if (wantReplay && length !== null && length <= maxReplayBytes) {
    const bytes = new Uint8Array(await request.arrayBuffer())
    return { replayable: true, bytes, forAttempt: () => bytes, tooLarge: no, tooLargeSignal: null }
  }
  const capped = maxBodyBytes === null ? null : capBody(request.body, maxBodyBytes)
  let stream: ReadableStream<Uint8Array> | null = capped?.stream ?? request.body
  return {
    replayable: false,
    bytes: null,
    tooLarge: capped?.exceeded ?? no,
    tooLargeSignal: capped?.signal ?? null,
    forAttempt() {
      if (stream === null) throw new Error('a streamed request body can be sent only once')
      const once = stream
      stream = null
      return once
    },
  }
}
