import { describe, expect, it } from 'vitest'
import { DEFAULT_REQUEST_TIMEOUT_MS, LONGEST_REQUEST_TIMEOUT_MS, planTimeouts } from './timeouts'

describe('planTimeouts (Gateway API HTTPRouteTimeouts)', () => {
  it.each([
    [{ requestMs: null, backendMs: null }, undefined, { requestMs: DEFAULT_REQUEST_TIMEOUT_MS, backendMs: null }],
    [{ requestMs: null, backendMs: null }, 5000, { requestMs: 5000, backendMs: null }],
    [{ requestMs: 2000, backendMs: null }, undefined, { requestMs: 2000, backendMs: null }],
    [{ requestMs: 2000, backendMs: 500 }, undefined, { requestMs: 2000, backendMs: 500 }],
    // "0s" disables a timeout: the request one becomes the longest the edge allows, never unlimited.
    [{ requestMs: 0, backendMs: null }, undefined, { requestMs: LONGEST_REQUEST_TIMEOUT_MS, backendMs: null }],
    [{ requestMs: 0, backendMs: 500 }, undefined, { requestMs: LONGEST_REQUEST_TIMEOUT_MS, backendMs: 500 }],
    [{ requestMs: 1000, backendMs: 0 }, undefined, { requestMs: 1000, backendMs: null }],
    // A backend timeout never outlasts the request's.
    [{ requestMs: null, backendMs: 60_000 }, 1000, { requestMs: 1000, backendMs: 1000 }],
  ])('%j (default %s) -> %j', (route, defaultMs, expected) => {
    expect(planTimeouts(route, defaultMs)).toEqual(expected)
  })
})
