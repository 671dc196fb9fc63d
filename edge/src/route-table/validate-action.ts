// Checks of a route's action (backends, filters, timeouts) beyond its shape: gateway
// references and the Gateway API's rules for combining filters.
import { normalizePath } from './normalize-path'
import { inside, problem, within, type Problem } from './shape'
import { hasControlCharacter, isDnsName, isToken } from './syntax'
import { checkAuthentication, checkRateLimit } from './validate-policy'
import type { Backend, Filter, HeaderModifier, PathMatchType, PathModifier, RouteAction } from './types'

/** The table's gateways by id: a backend may only name one of them. */
export type GatewayIds = Readonly<Record<string, unknown>>

/** Filters that may appear at most once in a list (Gateway API HTTPRouteRule.filters). */
const SINGLE_USE: ReadonlySet<Filter['type']> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'CORS', 'RateLimit', 'Authentication', 'RequestBodyLimit'])

/**
 * `pathType` is the type of the route's path match, or null for the table's fallback:
 * ReplacePrefixMatch needs a PathPrefix match to replace.
 */
export function checkAction(action: RouteAction, pathType: PathMatchType | null, gateways: GatewayIds): Problem | null {
  for (let i = 0; i < action.backends.length; i++) {
    const found = checkBackend(action.backends[i]!, gateways)
    if (found) return within(['backends', i], found)
  }
  const found = checkFilterList(action.filters, pathType, gateways)
  if (found) return inside('filters', found)
  if (action.backends.length > 0 && hasFilter(action.filters, 'RequestRedirect')) {
    return problem(['backends'], 'a RequestRedirect filter must not be used together with backends')
  }
  const { requestMs, backendMs } = action.timeouts
  if (requestMs !== null && backendMs !== null && requestMs > 0 && backendMs > requestMs) {
    return problem(['timeouts', 'backendMs'], `backendMs (${backendMs}) must not be longer than requestMs (${requestMs})`)
  }
  return null
}

function checkBackend(backend: Backend, gateways: GatewayIds): Problem | null {
  if (backend.gateway !== null && !Object.hasOwn(gateways, backend.gateway)) {
    return problem(['gateway'], `unknown gateway "${backend.gateway}" (not in $.gateways)`)
  }
  return inside('filters', checkFilterList(backend.filters, null, gateways))
}

function hasFilter(filters: Filter[], type: Filter['type']): boolean {
  for (const filter of filters) if (filter.type === type) return true
  return false
}

function checkFilterList(filters: Filter[], pathType: PathMatchType | null, gateways: GatewayIds): Problem | null {
  if (filters.length === 0) return null
  const seen = new Set<Filter['type']>()
  for (let i = 0; i < filters.length; i++) {
    const filter = filters[i]!
    if (SINGLE_USE.has(filter.type) && seen.has(filter.type)) return problem([i, 'type'], `${filter.type} filter must not be repeated`)
    seen.add(filter.type)
    const found = checkFilter(filter, pathType, gateways)
    if (found) return inside(i, found)
  }
  if (seen.has('RequestRedirect') && seen.has('URLRewrite')) {
    return problem([], 'RequestRedirect and URLRewrite filters must not be combined')
  }
  return null
}

function checkFilter(filter: Filter, pathType: PathMatchType | null, gateways: GatewayIds): Problem | null {
  switch (filter.type) {
    case 'RequestHeaderModifier':
    case 'ResponseHeaderModifier':
      return checkHeaderModifier(filter)
    case 'RequestRedirect':
    case 'URLRewrite':
      if (filter.hostname !== null && !isDnsName(filter.hostname)) {
        return problem(['hostname'], `invalid hostname "${filter.hostname}" (a lowercase DNS name)`)
      }
      return filter.path && inside('path', checkPathModifier(filter.path, pathType))
    case 'RequestMirror':
      return inside('backend', checkBackend(filter.backend, gateways))
    case 'CORS':
      return checkCors(filter)
    case 'RateLimit':
      return checkRateLimit(filter)
    case 'Authentication':
      return checkAuthentication(filter)
    case 'RequestBodyLimit':
      return null
  }
}

function checkHeaderModifier(modifier: HeaderModifier): Problem | null {
  for (const list of ['set', 'add'] as const) {
    const names = new Set<string>()
    for (let i = 0; i < modifier[list].length; i++) {
      const { name, value } = modifier[list][i]!
      if (!isToken(name)) return problem([list, i, 'name'], `invalid header name "${name}"`)
      if (names.has(name.toLowerCase())) return problem([list, i, 'name'], `header "${name}" appears twice`)
      names.add(name.toLowerCase())
      if (hasControlCharacter(value)) return problem([list, i, 'value'], 'header value contains a control character')
    }
  }
  for (let i = 0; i < modifier.remove.length; i++) {
    const name = modifier.remove[i]!
    if (!isToken(name) || name !== name.toLowerCase()) return problem(['remove', i], `invalid header name "${name}" (a lowercase token)`)
  }
  return null
}

function checkPathModifier(modifier: PathModifier, pathType: PathMatchType | null): Problem | null {
  if (modifier.type === 'ReplacePrefixMatch' && pathType !== 'PathPrefix') {
    return problem(['type'], 'ReplacePrefixMatch needs a PathPrefix path match')
  }
  const path = normalizePath(modifier.value)
  return path.ok ? null : problem(['value'], `invalid path "${modifier.value}": ${path.error}`)
}

const CORS_ORIGIN = /^(?:\*|https?:\/\/(?:\*|(?:\*\.)?[a-z0-9.-]+)(?::\d{1,5})?)$/
function checkCors(cors: Extract<Filter, { type: 'CORS' }>): Problem | null {
  for (let i = 0; i < cors.allowOrigins.length; i++) {
    const origin = cors.allowOrigins[i]!
    if (!CORS_ORIGIN.test(origin)) return problem(['allowOrigins', i], `invalid origin "${origin}" (scheme://host[:port], "*" or a "*." host)`)
  }
  for (const list of ['allowMethods', 'allowHeaders', 'exposeHeaders'] as const) {
    for (let i = 0; i < cors[list].length; i++) {
      const value = cors[list][i]!
      if (value !== '*' && !isToken(value)) return problem([list, i], `invalid value "${value}" (a token or "*")`)
    }
  }
  return null
}
