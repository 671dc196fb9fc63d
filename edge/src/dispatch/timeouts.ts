// A route's timeouts as the edge applies them (Gateway API HTTPRouteTimeouts). null: the
// edge's default. 0: "disabled", which the spec lets an implementation that cannot disable a
// timeout read as the longest it allows: the edge never waits without a limit.
import type { RouteAction } from '../route-table/types'
import type { Timeouts } from './types'

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000
/** What a disabled request timeout means: one hour. */
export const LONGEST_REQUEST_TIMEOUT_MS = 3_600_000

export function planTimeouts(route: RouteAction['timeouts'], defaultRequestMs: number = DEFAULT_REQUEST_TIMEOUT_MS): Timeouts {
  const requestMs = route.requestMs === null ? defaultRequestMs : route.requestMs === 0 ? LONGEST_REQUEST_TIMEOUT_MS : route.requestMs
  // A backend timeout of 0 (disabled) or none: each attempt may use what is left of the request's.
  const backendMs = route.backendMs !== null && route.backendMs > 0 ? Math.min(route.backendMs, requestMs) : null
  return { requestMs, backendMs }
}
