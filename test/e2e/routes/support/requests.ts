// Requests through an edge with a chosen Host, and polling until the edge answers as expected.
import { request } from 'undici'
import { eventually } from '../../../integration/edge/support/eventually'

export interface Answer {
  status: number
  servedBy: string | null
  body: string
}

export async function get(edgeUrl: string, host: string, path = '/'): Promise<Answer> {
  const res = await request(`${edgeUrl}${path}`, { headers: { host } })
  return { status: res.statusCode, servedBy: (res.headers['x-served-by'] as string | undefined) ?? null, body: await res.body.text() }
}

/** Polls until a request is served by `backend` (or answered with `status`); returns how long that took. */
export async function until(probe: () => Promise<Answer>, expected: { servedBy?: string; status?: number }, what: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now()
  await eventually(
    () => probe().catch((error: unknown) => ({ status: 0, servedBy: null, body: String(error) })),
    (a) => (expected.servedBy === undefined || a.servedBy === expected.servedBy) && (expected.status === undefined || a.status === expected.status),
    what,
    Math.ceil(timeoutMs / 25),
    25,
  )
  return performance.now() - started
}
