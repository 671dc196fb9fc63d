// The shape of a gateway, a route and an action (types.ts), checked by hand: this runs once per
// route and once per backend Service, so it is the parser's hot loop (ADR 0100, ADR 0104). On a
// cold start it runs in V8's interpreter, where each call costs: each field is one test, and
// the message and its place are built only when one fails. Filters and retry policies are rare
// and varied; they go through their zod schemas (schema.ts).
import { checkBackendFilter, checkFilter, checkRetry } from './schema'
import { at, count, expected, inside, integer, isRecord, listOf, listOfObjects, oneOf, port, problem, string, text, type Problem } from './shape'

const PROTOCOLS = ['http', 'https']
const KINDS = ['Ingress', 'HTTPRoute']
const WILDCARDS = ['suffix', 'single-label']
const PATH_TYPES = ['Exact', 'PathPrefix']
const VALUE_TYPES = ['Exact', 'RegularExpression']

const notAnObject = (value: unknown): Problem => problem([], expected('object', value))
const isString = (value: unknown, max: number): boolean => typeof value === 'string' && value.length <= max

export function checkGatewayShape(gateway: unknown): Problem | null {
  if (!isRecord(gateway)) return notAnObject(gateway)
  const { id, cluster, address } = gateway
  if (text(id) !== null) return at('id', text(id))
  if (!isString(cluster, 1024)) return at('cluster', string(cluster, 0, 1024))
  if (!isString(address, 253) || address === '') return at('address', string(address, 1, 253))
  if (port(gateway.port) !== null) return at('port', port(gateway.port))
  if (gateway.protocol !== 'http' && gateway.protocol !== 'https') return at('protocol', oneOf(gateway.protocol, PROTOCOLS))
  return null
}

/** A virtual host without its routes (checked one by one after it, for their paths). */
export function checkVirtualHostShape(vhost: unknown): Problem | null {
  if (!isRecord(vhost)) return notAnObject(vhost)
  if (!isString(vhost.hostname, 255)) return at('hostname', string(vhost.hostname, 0, 255))
  return Array.isArray(vhost.routes) ? null : at('routes', expected('array', vhost.routes))
}

export function checkRouteShape(route: unknown): Problem | null {
  if (!isRecord(route)) return notAnObject(route)
  if (text(route.id) !== null) return at('id', text(route.id))
  const source = checkSource(route.source)
  if (source) return inside('source', source)
  if (route.wildcard !== 'suffix' && route.wildcard !== 'single-label') return at('wildcard', oneOf(route.wildcard, WILDCARDS))
  const ports = Array.isArray(route.listenerPorts) && route.listenerPorts.length === 0 ? null : listOf(route.listenerPorts, port)
  if (ports) return inside('listenerPorts', ports)
  const match = checkMatch(route.match)
  if (match) return inside('match', match)
  return inside('action', checkActionShape(route.action))
}

function checkSource(source: unknown): Problem | null {
  if (!isRecord(source)) return notAnObject(source)
  const { kind, namespace, name, rule, match, createdAt, cluster } = source
  if (kind !== 'HTTPRoute' && kind !== 'Ingress') return at('kind', oneOf(kind, KINDS))
  if (text(namespace) !== null) return at('namespace', text(namespace))
  if (text(name) !== null) return at('name', text(name))
  if (count(rule) !== null) return at('rule', count(rule))
  if (count(match) !== null) return at('match', count(match))
  if (!isString(createdAt, 64) || createdAt === '') return at('createdAt', string(createdAt, 1, 64))
  if (!isString(cluster, 1024)) return at('cluster', string(cluster, 0, 1024))
  return null
}

function checkMatch(match: unknown): Problem | null {
  if (!isRecord(match)) return notAnObject(match)
  const { path, method, headers, query } = match
  if (!isRecord(path)) return inside('path', notAnObject(path))
  if (path.type !== 'PathPrefix' && path.type !== 'Exact') return within2('path', 'type', oneOf(path.type, PATH_TYPES))
  if (!isString(path.value, 4096) || path.value === '') return within2('path', 'value', string(path.value, 1, 4096))
  if (method !== null && (!isString(method, 64) || method === '')) return at('method', string(method, 1, 64))
  const headerProblem = Array.isArray(headers) && headers.length === 0 ? null : listOfObjects(headers, checkValueMatch)
  if (headerProblem) return inside('headers', headerProblem)
  return Array.isArray(query) && query.length === 0 ? null : inside('query', listOfObjects(query, checkValueMatch))
}

const within2 = (key: string, field: string, message: string | null): Problem | null => inside(key, at(field, message))

function checkValueMatch(match: unknown): Problem | null {
  if (!isRecord(match)) return notAnObject(match)
  if (!isString(match.name, 256)) return at('name', string(match.name, 0, 256))
  if (match.type !== 'Exact' && match.type !== 'RegularExpression') return at('type', oneOf(match.type, VALUE_TYPES))
  return isString(match.value, 4096) ? null : at('value', string(match.value, 0, 4096))
}

export function checkActionShape(action: unknown): Problem | null {
  if (!isRecord(action)) return notAnObject(action)
  const backends = listOfObjects(action.backends, checkBackendShape)
  if (backends) return inside('backends', backends)
  const filters = Array.isArray(action.filters) && action.filters.length === 0 ? null : listOfObjects(action.filters, checkFilterShape)
  if (filters) return inside('filters', filters)
  const timeouts = checkTimeouts(action.timeouts)
  if (timeouts) return inside('timeouts', timeouts)
  return action.retry === null ? null : inside('retry', checkRetry(action.retry))
}

function checkBackendShape(backend: unknown): Problem | null {
  if (!isRecord(backend)) return notAnObject(backend)
  const { gateway, weight, service, filters } = backend
  if (gateway !== null && text(gateway) !== null) return at('gateway', text(gateway))
  if (typeof weight !== 'number' || weight < 0 || weight > 1_000_000 || weight % 1 !== 0) return at('weight', integer(weight, 0, 1_000_000))
  if (!isRecord(service)) return inside('service', notAnObject(service))
  if (text(service.namespace) !== null) return within2('service', 'namespace', text(service.namespace))
  if (text(service.name) !== null) return within2('service', 'name', text(service.name))
  if (port(service.port) !== null) return within2('service', 'port', port(service.port))
  return Array.isArray(filters) && filters.length === 0 ? null : inside('filters', listOfObjects(filters, checkBackendFilter))
}

/** A filter, and for a mirror its backend, which has the shape of any other backend. */
function checkFilterShape(filter: unknown): Problem | null {
  const found = checkFilter(filter)
  if (found || (filter as { type: string }).type !== 'RequestMirror') return found
  return inside('backend', checkBackendShape((filter as { backend: unknown }).backend))
}

function checkTimeouts(timeouts: unknown): Problem | null {
  if (!isRecord(timeouts)) return notAnObject(timeouts)
  const { requestMs, backendMs } = timeouts
  if (requestMs !== null && count(requestMs) !== null) return at('requestMs', count(requestMs))
  return backendMs !== null && count(backendMs) !== null ? at('backendMs', count(backendMs)) : null
}
