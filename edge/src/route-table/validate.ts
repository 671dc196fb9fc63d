// The whole table in one pass, in document order (ADR 0104): each gateway, virtual host and
// route is checked for its shape (route-shape.ts), then for the rules that need more than one
// field: references, uniqueness, hostnames, paths, header names, regular expressions. Returns
// the first problem. One pass keeps a 10k-route table's cold load within its budget.
import { normalizePath } from './normalize-path'
import { checkActionShape, checkGatewayShape, checkRouteShape, checkVirtualHostShape } from './route-shape'
import { at, expected, inside, isRecord, problem, string, within, type Problem } from './shape'
import { compileAnchored, hasControlCharacter, isDnsName, isHostnamePattern, isIPv4, isIPv6, isToken } from './syntax'
import type { Gateway, Route, RouteAction, RouteMatch, VirtualHost } from './types'
import { checkAction, type GatewayIds } from './validate-action'

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i
const isTimestamp = (value: string): boolean => RFC3339.test(value) && Number.isFinite(Date.parse(value))

/** What the checks of one route need to know about the rest of the table. */
interface TableContext {
  gatewayIds: GatewayIds
  routeIds: Set<string>
  /** Routes of one object share their timestamp: each distinct one is checked once. */
  validTimes: Set<string>
  /** Most hosts repeat the same paths: each distinct one is normalised once. */
  validPaths: Set<string>
}

export function validateTable(table: unknown): Problem | null {
  if (!isRecord(table)) return problem([], expected('object', table))
  const top =
    at('schemaVersion', table.schemaVersion === 1 ? null : 'expected 1') ??
    at('revision', string(table.revision, 1, 256)) ??
    at('gateways', isRecord(table.gateways) ? null : expected('object', table.gateways)) ??
    at('hosts', Array.isArray(table.hosts) ? null : expected('array', table.hosts))
  if (top) return top
  const gateways = table.gateways as Record<string, unknown>
  const ids = Object.keys(gateways)
  // Gateways often share an address (one balancer, many Service ports): each distinct one is checked once.
  const validAddresses = new Set<string>()
  for (const key of ids) {
    const found = checkGateway(key, gateways[key], validAddresses)
    if (found) return within(['gateways', key], found)
  }
  const context: TableContext = { gatewayIds: gateways, routeIds: new Set(), validTimes: new Set(), validPaths: new Set() }
  const hosts = table.hosts as unknown[]
  const hostnames = new Set<string>()
  for (let h = 0; h < hosts.length; h++) {
    const found = checkVirtualHost(hosts[h], hostnames, context)
    if (found) return within(['hosts', h], found)
  }
  return table.fallback === null ? null : inside('fallback', checkActionShape(table.fallback) ?? checkAction(table.fallback as RouteAction, null, context.gatewayIds))
}

function checkGateway(key: string, value: unknown, validAddresses: Set<string>): Problem | null {
  const shape = checkGatewayShape(value)
  if (shape) return shape
  const gateway = value as Gateway
  if (gateway.id !== key) return problem(['id'], `gateway id "${gateway.id}" differs from its key "${key}"`)
  if (validAddresses.has(gateway.address)) return null
  const address = gateway.address.toLowerCase()
  if (!isDnsName(address) && !isIPv4(address) && !isIPv6(address)) {
    return problem(['address'], `invalid address "${gateway.address}" (a DNS name or an IP address)`)
  }
  validAddresses.add(gateway.address)
  return null
}

function checkVirtualHost(value: unknown, hostnames: Set<string>, context: TableContext): Problem | null {
  const shape = checkVirtualHostShape(value)
  if (shape) return shape
  const { hostname, routes } = value as VirtualHost
  if (!isHostnamePattern(hostname)) return problem(['hostname'], `invalid hostname "${hostname}" (a lowercase DNS name, "*." + DNS name, or "*")`)
  if (hostnames.has(hostname)) return problem(['hostname'], `hostname "${hostname}" appears twice; one entry per hostname`)
  hostnames.add(hostname)
  for (let r = 0; r < routes.length; r++) {
    const found = checkRoute(routes[r], context)
    if (found) return within(['routes', r], found)
  }
  return null
}

function checkRoute(value: unknown, context: TableContext): Problem | null {
  const shape = checkRouteShape(value)
  if (shape) return shape
  const route = value as Route
  if (context.routeIds.has(route.id)) return problem(['id'], `route id "${route.id}" is not unique`)
  context.routeIds.add(route.id)
  const { createdAt } = route.source
  if (!context.validTimes.has(createdAt)) {
    if (!isTimestamp(createdAt)) return problem(['source', 'createdAt'], `invalid timestamp "${createdAt}" (RFC 3339)`)
    context.validTimes.add(createdAt)
  }
  const port = firstRepeat(route.listenerPorts)
  if (port >= 0) return problem(['listenerPorts', port], `port ${route.listenerPorts[port]} appears twice`)
  return inside('match', checkMatch(route.match, context.validPaths)) ?? inside('action', checkAction(route.action, route.match.path.type, context.gatewayIds))
}

function checkMatch(match: RouteMatch, validPaths: Set<string>): Problem | null {
  if (!validPaths.has(match.path.value)) {
    const path = normalizePath(match.path.value)
    if (!path.ok) return problem(['path', 'value'], `invalid path "${match.path.value}": ${path.error}`)
    validPaths.add(match.path.value)
  }
  if (match.method !== null && (!isToken(match.method) || match.method !== match.method.toUpperCase())) {
    return problem(['method'], `invalid method "${match.method}" (an uppercase token)`)
  }
  for (let i = 0; i < match.headers.length; i++) {
    const { name, type, value } = match.headers[i]!
    if (!isToken(name) || name !== name.toLowerCase()) return problem(['headers', i, 'name'], `invalid header name "${name}" (a lowercase token)`)
    const found = checkValue(type, value)
    if (found) return problem(['headers', i, 'value'], found)
  }
  const header = firstRepeatedName(match.headers)
  if (header >= 0) return problem(['headers', header, 'name'], `header "${match.headers[header]!.name}" is matched twice`)
  for (let i = 0; i < match.query.length; i++) {
    const { name, type, value } = match.query[i]!
    if (name.length === 0) return problem(['query', i, 'name'], 'empty query parameter name')
    const found = checkValue(type, value)
    if (found) return problem(['query', i, 'value'], found)
  }
  const query = firstRepeatedName(match.query)
  if (query >= 0) return problem(['query', query, 'name'], `query parameter "${match.query[query]!.name}" is matched twice`)
  return null
}

const firstRepeatedName = (items: readonly { name: string }[]): number => (items.length < 2 ? -1 : firstRepeat(items.map((item) => item.name)))

/** Index of the first value that appeared before, or -1; small lists (the usual case) need no Set. */
function firstRepeat(values: readonly (string | number)[]): number {
  if (values.length < 2) return -1
  if (values.length <= 16) {
    for (let i = 1; i < values.length; i++) if (values.indexOf(values[i]!) < i) return i
    return -1
  }
  const seen = new Set<string | number>()
  for (let i = 0; i < values.length; i++) {
    if (seen.has(values[i]!)) return i
    seen.add(values[i]!)
  }
  return -1
}

function checkValue(type: 'Exact' | 'RegularExpression', value: string): string | null {
  if (type === 'Exact') return hasControlCharacter(value) ? 'value contains a control character' : null
  const compiled = compileAnchored(value)
  return typeof compiled === 'string' ? compiled : null
}
