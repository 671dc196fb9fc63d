// A route's action (backends, filters, timeouts, retry): its shape and its rules, gateway
// references and the Gateway API's rules for combining filters. Backends and timeouts are
// checked inline, as every route has them (validate-route.ts); filters and retry policies are
// rare and varied, their shape is checked by zod (schema.ts).
import { normalizePath } from './normalize-path'
import { checkBackendFilter, checkFilter as checkFilterShape, checkRetry } from './schema'
import { at, count, expected, inside, integer, isRecord, listOfObjects, MAX_TEXT, port, problem, text, within, type Problem } from './shape'
import { hasControlCharacter, isDnsName, isToken } from './syntax'
import { checkAuthentication, checkRateLimit } from './validate-policy'
import type { Backend, Filter, HeaderModifier, PathMatchType, PathModifier } from './types'

/**
 * The ids of the table's gateways: a backend may only name one of them. A Set, not the gateways
 * object: a property lookup with a string read from JSON first interns it (a costly lookup of
 * its own, about 1.5 µs per route on a cold start).
 */
export type GatewayIds = ReadonlySet<string>

/** Filters that may appear at most once in a list (Gateway API HTTPRouteRule.filters). */
const SINGLE_USE: ReadonlySet<Filter['type']> = new Set(['RequestHeaderModifier', 'ResponseHeaderModifier', 'RequestRedirect', 'URLRewrite', 'CORS', 'RateLimit', 'Authentication', 'RequestBodyLimit'])

/**
 * `pathType` is the type of the route's path match, or null for the table's fallback:
 * ReplacePrefixMatch needs a PathPrefix match to replace.
 */
export function checkAction(action: unknown, pathType: PathMatchType | null, gateways: GatewayIds): Problem | null {
  if (!isRecord(action)) return problem([], expected('object', action))
  const { backends, filters, timeouts, retry } = action
  if (!Array.isArray(backends)) return at('backends', expected('array', backends))
  for (let i = 0; i < backends.length; i++) {
    const found = checkBackend(backends[i], gateways)
    if (found) return within(['backends', i], found)
  }
  if (!Array.isArray(filters)) return at('filters', expected('array', filters))
  if (filters.length > 0) {
    const found = checkFilterList(filters, pathType, gateways)
    if (found) return inside('filters', found)
    if (backends.length > 0 && hasFilter(filters as Filter[], 'RequestRedirect')) {
      return problem(['backends'], 'a RequestRedirect filter must not be used together with backends')
    }
  }
  if (!isRecord(timeouts)) return at('timeouts', expected('object', timeouts))
  const { requestMs, backendMs } = timeouts
  if (requestMs !== null && count(requestMs) !== null) return inside('timeouts', at('requestMs', count(requestMs)))
  if (backendMs !== null && count(backendMs) !== null) return inside('timeouts', at('backendMs', count(backendMs)))
  if (requestMs !== null && backendMs !== null && (requestMs as number) > 0 && (backendMs as number) > (requestMs as number)) {
    return problem(['timeouts', 'backendMs'], `backendMs (${backendMs as number}) must not be longer than requestMs (${requestMs as number})`)
  }
  return retry === null ? null : inside('retry', checkRetry(retry))
}

function checkBackend(backend: unknown, gateways: GatewayIds): Problem | null {
  if (!isRecord(backend)) return problem([], expected('object', backend))
  const { gateway, weight, service, filters } = backend
  if (gateway !== null) {
    if (typeof gateway !== 'string' || gateway.length === 0 || gateway.length > MAX_TEXT) return at('gateway', text(gateway))
    if (!gateways.has(gateway)) return at('gateway', `unknown gateway "${gateway}" (not in $.gateways)`)
  }
  if (typeof weight !== 'number' || weight < 0 || weight > 1_000_000 || weight % 1 !== 0) return at('weight', integer(weight, 0, 1_000_000))
  if (!isRecord(service)) return at('service', expected('object', service))
  const { namespace, name } = service
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > MAX_TEXT) return inside('service', at('namespace', text(namespace)))
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_TEXT) return inside('service', at('name', text(name)))
  if (port(service.port) !== null) return inside('service', at('port', port(service.port)))
  if (!Array.isArray(filters)) return at('filters', expected('array', filters))
  if (filters.length === 0) return null
  return inside('filters', listOfObjects(filters, checkBackendFilter) ?? checkFilterList(filters as Filter[], null, gateways))
}

function hasFilter(filters: Filter[], type: Filter['type']): boolean {
  for (const filter of filters) if (filter.type === type) return true
  return false
}

/** A route's or the fallback's filters (backends' filters had their narrower shape checked already). */
function checkFilterList(filters: unknown[], pathType: PathMatchType | null, gateways: GatewayIds): Problem | null {
  const seen = new Set<Filter['type']>()
  for (let i = 0; i < filters.length; i++) {
    const shape = checkFilterShape(filters[i])
    if (shape) return inside(i, shape)
    const filter = filters[i] as Filter
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
      // A mirror target is a backend like any other, shape included.
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
