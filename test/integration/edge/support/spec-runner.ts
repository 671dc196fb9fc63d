// The shared spec cases (test/spec-cases) end to end on one runtime: every case's gateways are
// real echo servers on loopback, each request goes through the runtime as a client would send
// it, and the test checks what a user would notice: which backend answered (or which status
// the edge gave itself), that no other backend saw the request, and the request's log line
// (route id, backend, status, duration).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gatewayId } from '../../../spec-cases/builder'
import { specCases, type SpecCase, type SpecRequest } from '../../../spec-cases/index'
import type { CapturedLogs } from './captured-logs'
import { startGateways, type LiveGateways } from './gateways'

export interface LiveCase {
  specCase: SpecCase
  /** The case's table re-pointed at its echo servers. */
  gateways: LiveGateways
}

export interface Observed {
  /** The status the client got; null when the runtime hands the request back with an origin (Lambda@Edge). */
  status: number | null
  /** The echo server (gateway id) that answered, or the gateway chosen as origin; null when the edge answered itself. */
  server: string | null
  headers: Headers
  body: string
}

export interface SpecRuntime {
  /** Sends one spec request, carrying X-Request-Id `requestId`, to the edge serving case `caseIndex`. */
  send(caseIndex: number, request: SpecRequest, requestId: string): Promise<Observed>
  logs: CapturedLogs
  stop(): Promise<void>
}

export interface SpecDriver {
  name: string
  /** False when the runtime never forwards itself (Lambda@Edge lets CloudFront carry the request). */
  forwards: boolean
  start(cases: LiveCase[]): Promise<SpecRuntime>
}

/** An echo server's answer names the server (X-Served-By); anything else is the edge's own answer. */
export async function observeResponse(response: Response): Promise<Observed> {
  return { status: response.status, server: response.headers.get('x-served-by'), headers: response.headers, body: await response.text() }
}

/** The request target of a spec URL as written (no WHATWG normalisation): authority and origin-form target. */
export function splitSpecUrl(url: string): { scheme: 'http' | 'https'; authority: string; target: string; path: string; query: string } {
  const parts = /^(https?):\/\/([^/?#]*)(.*)$/i.exec(url)
  if (!parts) throw new Error(`spec URL ${url} is not absolute`)
  const target = parts[3] === '' ? '/' : parts[3]!.startsWith('?') ? `/${parts[3]}` : parts[3]!
  const mark = target.indexOf('?')
  return {
    scheme: parts[1]!.toLowerCase() as 'http' | 'https',
    authority: parts[2]!,
    target,
    path: mark < 0 ? target : target.slice(0, mark),
    query: mark < 0 ? '' : target.slice(mark + 1),
  }
}

/** The authority with its port written out (the listener port, for runtimes that only see a Host-like header). */
export function authorityWithPort(url: string): string {
  const { scheme, authority } = splitSpecUrl(url)
  return /:\d*$/.test(authority) && !authority.endsWith(']') ? authority : `${authority}:${scheme === 'https' ? 443 : 80}`
}

/** The spec request's headers without Host (the URL's authority is the target's, RFC 9112 3.2.2). */
export function headersWithoutHost(request: SpecRequest, requestId: string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(request.headers ?? {})) if (name.toLowerCase() !== 'host') headers[name] = value
  headers['x-request-id'] = requestId
  return headers
}

/** Requests the edge may refuse before it can route them, so without the request's own id in the log. */
const REFUSED_BY_THE_SERVER = new Set([431])

export function describeSpecCases(driver: SpecDriver, cases: SpecCase[] = specCases): void {
  describe(`spec cases on ${driver.name}`, () => {
    const live: LiveCase[] = []
    let runtime: SpecRuntime

    beforeAll(async () => {
      for (const specCase of cases) live.push({ specCase, gateways: await startGateways(specCase.table) })
      runtime = await driver.start(live)
    })
    afterAll(async () => {
      await runtime?.stop()
      await Promise.all(live.map((l) => l.gateways.close()))
    })

    cases.forEach((specCase, caseIndex) => {
      describe(specCase.name, () => {
        const labelled = specCase.requests.map((r, i) => [`${r.method ?? 'GET'} ${r.url.slice(0, 90)}${r.headers ? ` ${JSON.stringify(r.headers).slice(0, 60)}` : ''}`, r, i] as const)
        it.each(labelled)('%s', async (_label, request, requestIndex) => {
          const requestId = `spec-${caseIndex}-${requestIndex}`
          const servers = live[caseIndex]!.gateways.servers
          const before = Object.fromEntries(Object.entries(servers).map(([id, s]) => [id, s.received.length]))
          const observed = await runtime.send(caseIndex, request, requestId)
          const reached = Object.entries(servers).flatMap(([id, s]) => Array(s.received.length - before[id]!).fill(id) as string[])
          const expected = request.expect

          if (expected.status === null) {
            const target = gatewayId(expected.backend!)
            expect({ server: observed.server, status: observed.status }, 'forwarded to the expected backend').toEqual({ server: target, status: driver.forwards ? 200 : null })
            expect(reached, 'only the expected backend saw the request').toEqual(driver.forwards ? [target] : [])
          } else {
            expect({ status: observed.status, server: observed.server }, 'the edge answers itself').toEqual({ status: expected.status, server: null })
            expect(reached, 'no backend saw the request').toEqual([])
            if (expected.status >= 400 && request.method !== 'HEAD') expect(JSON.parse(observed.body), 'a small JSON error body').toMatchObject({ status: expected.status, error: expect.any(String) })
            if (expected.status >= 300 && expected.status < 400) expect(observed.headers.get('location')).toBeTruthy()
          }

          const line = await runtime.logs.waitForRequestLine(requestId, REFUSED_BY_THE_SERVER.has(expected.status ?? 0) ? 100 : 3000)
          if (line === undefined && REFUSED_BY_THE_SERVER.has(expected.status ?? 0)) return
          expect(line, `a request log line with requestId ${requestId}`).toBeDefined()
          expect({ route: line!.route, backend: line!.backend, status: line!.status }, 'the request log line').toEqual({
            route: expected.route,
            backend: expected.backend,
            status: observed.status,
          })
          expect(line!.durationMs).toEqual(expect.any(Number))
        })
      })
    })
  })
}
