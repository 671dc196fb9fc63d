// The matcher's interface: what the edge asks and what it gets back. Implemented in matcher.ts.
import type { Route, RouteAction, RouteTable, VirtualHost } from './types'

/** A request after normalisation (see normalize.ts): what matching sees. */
export interface MatchRequest {
  /** Lowercase, port stripped, trailing dot removed. */
  host: string
  /** Listener port: the port the client addressed (Host header port, else the scheme's default). */
  port: number
  /** Normalised path without the query string. */
  path: string
  /** Uppercase. */
  method: string
  /** Case-insensitive lookup; a Headers object fits. Repeated headers joined with ", ". */
  headers: { get(name: string): string | null }
  query: URLSearchParams
}

export type MatchResult =
  | { kind: 'route'; route: Route; host: VirtualHost; reason: string }
  | { kind: 'fallback'; action: RouteAction; reason: string }
  | { kind: 'none'; reason: string }

export interface RouteMatcher {
  readonly table: RouteTable
  match(request: MatchRequest): MatchResult
}
