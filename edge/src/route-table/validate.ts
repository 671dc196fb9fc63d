// Checks of a well-shaped table (see schema.ts) that need more than one field: references,
// uniqueness, hostnames, paths, header names, regular expressions. Returns the first problem.
import { normalizePath } from './normalize-path'
import { compileAnchored, hasControlCharacter, isDnsName, isHostnamePattern, isIPv4, isIPv6, isToken } from './syntax'
import type { Route, RouteMatch, RouteTable } from './types'
import { problem, within, type Problem } from './shape'
import { checkAction } from './validate-action'

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i
const isTimestamp = (value: string): boolean => RFC3339.test(value) && Number.isFinite(Date.parse(value))

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

export function validateTable(table: RouteTable): Problem | null {
  for (const [key, gateway] of Object.entries(table.gateways)) {
    if (gateway.id !== key) return problem(['gateways', key, 'id'], `gateway id "${gateway.id}" differs from its key "${key}"`)
    const address = gateway.address.toLowerCase()
    if (!isDnsName(address) && !isIPv4(address) && !isIPv6(address)) {
      return problem(['gateways', key, 'address'], `invalid address "${gateway.address}" (a DNS name or an IP address)`)
    }
  }
  const gatewayIds = new Set(Object.keys(table.gateways))
  const hostnames = new Set<string>()
  const routeIds = new Set<string>()
  // Routes of one object share their timestamp: each distinct one is checked once.
  const validTimes = new Set<string>()
  for (let h = 0; h < table.hosts.length; h++) {
    const { hostname, routes } = table.hosts[h]!
    if (!isHostnamePattern(hostname)) {
      return problem(['hosts', h, 'hostname'], `invalid hostname "${hostname}" (a lowercase DNS name, "*." + DNS name, or "*")`)
    }
    if (hostnames.has(hostname)) return problem(['hosts', h, 'hostname'], `hostname "${hostname}" appears twice; one entry per hostname`)
    hostnames.add(hostname)
    for (let r = 0; r < routes.length; r++) {
      const route = routes[r]!
      if (routeIds.has(route.id)) return problem(['hosts', h, 'routes', r, 'id'], `route id "${route.id}" is not unique`)
      routeIds.add(route.id)
      const found = checkRoute(route, gatewayIds, validTimes)
      if (found) return within(['hosts', h, 'routes', r], found)
    }
  }
  return table.fallback && within(['fallback'], checkAction(table.fallback, null, gatewayIds))
}

function checkRoute(route: Route, gateways: ReadonlySet<string>, validTimes: Set<string>): Problem | null {
  const { createdAt } = route.source
  if (!validTimes.has(createdAt)) {
    if (!isTimestamp(createdAt)) return problem(['source', 'createdAt'], `invalid timestamp "${createdAt}" (RFC 3339)`)
    validTimes.add(createdAt)
  }
  const port = firstRepeat(route.listenerPorts)
  if (port >= 0) return problem(['listenerPorts', port], `port ${route.listenerPorts[port]} appears twice`)
  return within(['match'], checkMatch(route.match)) ?? within(['action'], checkAction(route.action, route.match.path.type, gateways))
}

function checkMatch(match: RouteMatch): Problem | null {
  const path = normalizePath(match.path.value)
  if (!path.ok) return problem(['path', 'value'], `invalid path "${match.path.value}": ${path.error}`)
  if (match.method !== null && (!isToken(match.method) || match.method !== match.method.toUpperCase())) {
    return problem(['method'], `invalid method "${match.method}" (an uppercase token)`)
  }
  for (let i = 0; i < match.headers.length; i++) {
    const { name, type, value } = match.headers[i]!
    if (!isToken(name) || name !== name.toLowerCase()) return problem(['headers', i, 'name'], `invalid header name "${name}" (a lowercase token)`)
    const found = checkValue(type, value)
    if (found) return problem(['headers', i, 'value'], found)
  }
  const header = firstRepeat(match.headers.map((h) => h.name))
  if (header >= 0) return problem(['headers', header, 'name'], `header "${match.headers[header]!.name}" is matched twice`)
  for (let i = 0; i < match.query.length; i++) {
    const { name, type, value } = match.query[i]!
    if (name.length === 0) return problem(['query', i, 'name'], 'empty query parameter name')
    const found = checkValue(type, value)
    if (found) return problem(['query', i, 'value'], found)
  }
  const query = firstRepeat(match.query.map((q) => q.name))
  if (query >= 0) return problem(['query', query, 'name'], `query parameter "${match.query[query]!.name}" is matched twice`)
  return null
}

function checkValue(type: 'Exact' | 'RegularExpression', value: string): string | null {
  if (type === 'Exact') return hasControlCharacter(value) ? 'value contains a control character' : null
  const compiled = compileAnchored(value)
  return typeof compiled === 'string' ? compiled : null
}
