// RouteTableSource on the controller's endpoint (`GET /v1/route-table`, docs/route-publishing.md):
// If-None-Match with the last ETag, and `?wait=<seconds>` so that the controller holds the
// request until the table changes (long-poll) and answers 304 when the wait runs out. With
// waitSeconds 0 it is a plain conditional GET (what Workers do on each refresh). fetch only:
// the same code runs on Node and workerd.
import type { RouteTableSource, SourceRead } from '../table/route-table-source'

export interface HttpSourceOptions {
  /** How long the controller may hold a request; 0 for a plain conditional GET. Default 30. */
  waitSeconds?: number
  /** Extra time for the answer beyond the wait before the request is given up. Default 10 s. */
  graceMs?: number
  fetch?: typeof fetch
  /**
   * Sent as `Authorization: Bearer <token>` when the controller asks for one
   * (`--route-table-token-file`); a function is asked before every request (a rotated file).
   */
  token?: string | (() => Promise<string>)
}

export function createHttpRouteTableSource(url: string, options: HttpSourceOptions = {}): RouteTableSource {
  const waitSeconds = options.waitSeconds ?? 30
  const graceMs = options.graceMs ?? 10_000
  const doFetch = options.fetch ?? fetch
  const target = new URL(url)
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error(`route-table source ${url}: only http and https URLs`)
  return {
    name: url,
    blocking: waitSeconds > 0,
    async read(previousTag: string | null, signal?: AbortSignal): Promise<SourceRead> {
      const request = new URL(target)
      // Without If-None-Match the wait only applies while nothing is published yet.
      if (waitSeconds > 0) request.searchParams.set('wait', String(waitSeconds))
      const token = typeof options.token === 'function' ? await options.token() : options.token
      const response = await doFetch(request, {
        headers: { accept: 'application/json', ...(previousTag ? { 'if-none-match': previousTag } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        signal: withTimeout(signal, waitSeconds * 1000 + graceMs),
      })
      if (response.status === 304) return { kind: 'unchanged' }
      if (response.status === 404 || response.status === 503) {
        await response.body?.cancel()
        return { kind: 'missing' }
      }
      if (response.status !== 200) {
        const detail = (await response.text().catch(() => '')).slice(0, 200)
        const hint = response.status === 401 ? (token ? ' (the token was refused)' : ' (the controller wants a bearer token)') : ''
        throw new Error(`${url}: HTTP ${response.status}${hint}${detail ? `: ${detail}` : ''}`)
      }
      return { kind: 'table', text: await response.text(), tag: response.headers.get('etag') }
    },
  }
}

/** The caller's signal (the edge stopping) or the request's own deadline, whichever comes first. */
const withTimeout = (signal: AbortSignal | undefined, ms: number) => (signal ? AbortSignal.any([signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms))
