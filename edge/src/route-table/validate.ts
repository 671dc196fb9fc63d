// The whole table in one pass, in document order (ADR 0104): the top level, then each gateway
// and each virtual host with its routes (validate-route.ts), each for its shape and for the
// rules that need more than one field: references, uniqueness, hostnames, paths, header
// names, regular expressions. Returns the first problem. Fields are tested inline, helpers only
// word a problem: a cold start runs this in V8's interpreter, where calls cost most.
import { at, expected, inside, isRecord, MAX_TEXT, oneOf, port, problem, string, text, within, type Problem } from './shape'
import { isDnsName, isHostnamePattern, isIPv4, isIPv6 } from './syntax'
import { checkAction } from './validate-action'
import { checkRoute, type TableContext } from './validate-route'

export function validateTable(table: unknown): Problem | null {
  if (!isRecord(table)) return problem([], expected('object', table))
  const { schemaVersion, revision, gateways, hosts, fallback } = table
  if (schemaVersion !== 1) return at('schemaVersion', 'expected 1')
  if (typeof revision !== 'string' || revision.length === 0 || revision.length > 256) return at('revision', string(revision, 1, 256))
  if (!isRecord(gateways)) return at('gateways', expected('object', gateways))
  if (!Array.isArray(hosts)) return at('hosts', expected('array', hosts))
  // Gateways often share an address (one balancer, many Service ports): each distinct one is checked once.
  const validAddresses = new Set<string>()
  const ids = Object.keys(gateways)
  for (let g = 0; g < ids.length; g++) {
    const found = checkGateway(ids[g]!, gateways[ids[g]!], validAddresses)
    if (found) return within(['gateways', ids[g]!], found)
  }
  const context: TableContext = { gatewayIds: new Set(ids), routeIds: new Set(), validTimes: new Set(), validPaths: new Set() }
  const hostnames = new Set<string>()
  for (let h = 0; h < hosts.length; h++) {
    const found = checkVirtualHost(hosts[h], hostnames, context)
    if (found) return within(['hosts', h], found)
  }
  return fallback === null ? null : inside('fallback', checkAction(fallback, null, context.gatewayIds))
}

function checkGateway(key: string, gateway: unknown, validAddresses: Set<string>): Problem | null {
  if (!isRecord(gateway)) return problem([], expected('object', gateway))
  const { id, cluster, address, protocol } = gateway
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_TEXT) return at('id', text(id))
  if (typeof cluster !== 'string' || cluster.length > MAX_TEXT) return at('cluster', string(cluster, 0, MAX_TEXT))
  if (typeof address !== 'string' || address.length === 0 || address.length > 253) return at('address', string(address, 1, 253))
  if (port(gateway.port) !== null) return at('port', port(gateway.port))
  if (protocol !== 'http' && protocol !== 'https') return at('protocol', oneOf(protocol, ['http', 'https']))
  if (id !== key) return at('id', `gateway id "${id}" differs from its key "${key}"`)
  if (validAddresses.has(address)) return null
  const lowercase = address.toLowerCase()
  if (!isDnsName(lowercase) && !isIPv4(lowercase) && !isIPv6(lowercase)) return at('address', `invalid address "${address}" (a DNS name or an IP address)`)
  validAddresses.add(address)
  return null
}

function checkVirtualHost(vhost: unknown, hostnames: Set<string>, context: TableContext): Problem | null {
  if (!isRecord(vhost)) return problem([], expected('object', vhost))
  const { hostname, routes } = vhost
  if (typeof hostname !== 'string' || hostname.length > 255) return at('hostname', string(hostname, 0, 255))
  if (!Array.isArray(routes)) return at('routes', expected('array', routes))
  if (!isHostnamePattern(hostname)) return at('hostname', `invalid hostname "${hostname}" (a lowercase DNS name, "*." + DNS name, or "*")`)
  const seen = hostnames.size
  if (hostnames.add(hostname).size === seen) return at('hostname', `hostname "${hostname}" appears twice; one entry per hostname`)
  for (let r = 0; r < routes.length; r++) {
    const found = checkRoute(routes[r], context)
    if (found) return within(['routes', r], found)
  }
  return null
}
