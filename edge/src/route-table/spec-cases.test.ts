// The shared spec cases (test/spec-cases) run against the matcher: normalise, match, and derive
// the outcome the edge would give (forward to one backend, or answer a status itself).
import { describe, expect, it } from 'vitest'
import { backendRef } from '../../../test/spec-cases/builder'
import { specCases, type SpecOutcome, type SpecRequest } from '../../../test/spec-cases/index'
import type { RouteMatcher } from './match-types'
import { buildMatcher } from './matcher'
import { normalizeRequest } from './normalize'
import { parseRouteTable } from './parse'

function outcome(matcher: RouteMatcher, request: SpecRequest): SpecOutcome {
  const normalized = normalizeRequest({ url: request.url, method: request.method ?? 'GET', headers: new Headers(request.headers) })
  if (!normalized.ok) return { route: null, backend: null, status: normalized.status }
  const result = matcher.match(normalized.request)
  if (result.kind === 'none') return { route: null, backend: null, status: 404 }
  const route = result.kind === 'route' ? result.route.id : null
  const action = result.kind === 'route' ? result.route.action : result.action
  const redirect = action.filters.find((f) => f.type === 'RequestRedirect')
  if (redirect) return { route, backend: null, status: redirect.statusCode }
  const usable = action.backends.filter((b) => b.gateway !== null && b.weight > 0)
  if (usable.length === 0) return { route, backend: null, status: 500 }
  if (usable.length > 1) throw new Error(`spec cases give each route one backend; ${route} has ${usable.length}`)
  const gateway = matcher.table.gateways[usable[0]!.gateway!]
  expect(gateway, 'a forward only ever goes to a gateway of the table').toBeDefined()
  return { route, backend: backendRef(usable[0]!), status: null }
}

describe('spec cases against the matcher', () => {
  it('has cases for every source the issue names', () => {
    const names = specCases.map((c) => c.name).join('\n')
    for (const expected of ['Ingress paths', 'Ingress hostname wildcards', 'defaultBackend', 'HTTPRouteMatching', 'HTTPRouteMatchingAcrossRoutes', 'HTTPRoutePathMatchOrder', 'HTTPExactPathMatching', 'HTTPRouteHeaderMatching', 'HTTPRouteQueryParamMatching', 'HTTPRouteMethodMatching', 'HTTPRouteHostnameIntersection', 'HTTPRouteListenerHostnameMatching', 'HTTPRouteListenerPortMatching', 'GatewayHTTPListenerIsolation', 'Hostile paths', 'Hostile hosts', '500']) {
      expect(names).toContain(expected)
    }
  })

  for (const specCase of specCases) {
    describe(specCase.name, () => {
      it('has a valid table whose gateways are all on loopback', () => {
        const parsed = parseRouteTable(JSON.stringify(specCase.table))
        expect(parsed.ok ? null : parsed.error).toBeNull()
        for (const gateway of Object.values(specCase.table.gateways)) expect(gateway.address).toBe('127.0.0.1')
      })

      const matcher = buildMatcher(specCase.table)
      it.each(specCase.requests.map((r) => [`${r.method ?? 'GET'} ${r.url.slice(0, 100)}${r.headers ? ` ${JSON.stringify(r.headers)}` : ''}`, r] as const))('%s', (_label, request) => {
        expect(outcome(matcher, request)).toEqual(request.expect)
      })
    })
  }
})
