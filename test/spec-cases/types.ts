// The shape of a spec case: a route table and requests with the outcome the specs require.
// Run against the matcher (edge/src/route-table/spec-cases.test.ts) and, end to end, against
// each runtime (gateways are on 127.0.0.1: a runtime test re-points each one to an echo server).
import type { RouteTable } from '../../edge/src/route-table/types'

export interface SpecRequest {
  /**
   * Absolute URL. Its authority is the request target's (absolute-form, RFC 9112 3.2.2) and
   * its port, when given, is the listener port; a `host` in `headers` differing from it must
   * be ignored.
   */
  url: string
  /** Default GET. */
  method?: string
  headers?: Record<string, string>
  expect: SpecOutcome
}

export interface SpecOutcome {
  /** Id of the route that must win, or null (no route, fallback, or refused request). */
  route: string | null
  /** The backend Service the request reaches, `namespace/name:port`, or null. */
  backend: string | null
  /** The status the edge answers itself (400, 404, 414, 500, a redirect), or null when it forwards. */
  status: number | null
}

export interface SpecCase {
  name: string
  /** Where the expectations come from (spec section, conformance test). */
  source: string
  table: RouteTable
  requests: SpecRequest[]
}
