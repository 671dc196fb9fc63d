// One route of the table: its shape and the rules between its fields, checked in one go. This
// is the loader's hot loop (ADR 0104): a cold start runs it in V8's interpreter, where calls
// cost most, so each field is tested inline and a helper runs only to word a problem.
import { normalizePath } from './normalize-path'
import { at, count, expected, inside, isRecord, MAX_TEXT, oneOf, port, problem, string, text, type Problem } from './shape'
import { compileAnchored, hasControlCharacter, isToken } from './syntax'
import type { HeaderMatch, QueryMatch } from './types'
import { checkAction, type GatewayIds } from './validate-action'

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i
const isTimestamp = (value: string): boolean => RFC3339.test(value) && Number.isFinite(Date.parse(value))

/** What the checks of one route need to know about the rest of the table. */
export interface TableContext {
  gatewayIds: GatewayIds
  routeIds: Set<string>
  /** Routes of one object share their timestamp: each distinct one is checked once. */
  validTimes: Set<string>
  /** Most hosts repeat the same paths: each distinct one is normalised once. */
  validPaths: Set<string>
}

export function checkRoute(route: unknown, context: TableContext): Problem | null {
  if (!isRecord(route)) return problem([], expected('object', route))
  const { id, source, wildcard, listenerPorts, match } = route
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_TEXT) return at('id', text(id))
  const seen = context.routeIds.size
  if (context.routeIds.add(id).size === seen) return at('id', `route id "${id}" is not unique`)
  const sourceProblem = checkSource(source, context)
  if (sourceProblem) return inside('source', sourceProblem)
  if (wildcard !== 'suffix' && wildcard !== 'single-label') return at('wildcard', oneOf(wildcard, ['suffix', 'single-label']))
  if (!Array.isArray(listenerPorts)) return at('listenerPorts', expected('array', listenerPorts))
  if (listenerPorts.length > 0) {
    const ports = checkPorts(listenerPorts)
    if (ports) return inside('listenerPorts', ports)
  }
  const matchProblem = checkMatch(match, context.validPaths)
  if (matchProblem) return inside('match', matchProblem)
  return inside('action', checkAction(route.action, (match as { path: { type: 'Exact' | 'PathPrefix' } }).path.type, context.gatewayIds))
}

function checkSource(source: unknown, context: TableContext): Problem | null {
  if (!isRecord(source)) return problem([], expected('object', source))
  const { kind, namespace, name, rule, match, createdAt, cluster } = source
  if (kind !== 'HTTPRoute' && kind !== 'Ingress') return at('kind', oneOf(kind, ['Ingress', 'HTTPRoute']))
  if (typeof namespace !== 'string' || namespace.length === 0 || namespace.length > MAX_TEXT) return at('namespace', text(namespace))
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_TEXT) return at('name', text(name))
  if (count(rule) !== null) return at('rule', count(rule))
  if (count(match) !== null) return at('match', count(match))
  if (!context.validTimes.has(createdAt as string)) {
    if (typeof createdAt !== 'string' || createdAt.length === 0 || createdAt.length > 64) return at('createdAt', string(createdAt, 1, 64))
    if (!isTimestamp(createdAt)) return at('createdAt', `invalid timestamp "${createdAt}" (RFC 3339)`)
    context.validTimes.add(createdAt)
  }
  return typeof cluster === 'string' && cluster.length <= MAX_TEXT ? null : at('cluster', string(cluster, 0, MAX_TEXT))
}

function checkPorts(ports: unknown[]): Problem | null {
  for (let i = 0; i < ports.length; i++) if (port(ports[i]) !== null) return at(i, port(ports[i]))
  const twice = firstRepeat(ports)
  return twice < 0 ? null : at(twice, `port ${ports[twice] as number} appears twice`)
}

function checkMatch(match: unknown, validPaths: Set<string>): Problem | null {
  if (!isRecord(match)) return problem([], expected('object', match))
  const { path, method, headers, query } = match
  if (!isRecord(path)) return inside('path', problem([], expected('object', path)))
  const { type, value } = path
  if (type !== 'PathPrefix' && type !== 'Exact') return inside('path', at('type', oneOf(type, ['Exact', 'PathPrefix'])))
  if (!validPaths.has(value as string)) {
    if (typeof value !== 'string' || value.length === 0 || value.length > 4096) return inside('path', at('value', string(value, 1, 4096)))
    const normalized = normalizePath(value)
    if (!normalized.ok) return inside('path', at('value', `invalid path "${value}": ${normalized.error}`))
    validPaths.add(value)
  }
  if (method !== null) {
    if (typeof method !== 'string' || method.length === 0 || method.length > 64) return at('method', string(method, 1, 64))
    if (!isToken(method) || method !== method.toUpperCase()) return at('method', `invalid method "${method}" (an uppercase token)`)
  }
  if (!Array.isArray(headers)) return at('headers', expected('array', headers))
  if (headers.length > 0) {
    const found = checkValueMatches(headers, 'header')
    if (found) return inside('headers', found)
  }
  if (!Array.isArray(query)) return at('query', expected('array', query))
  return query.length === 0 ? null : inside('query', checkValueMatches(query, 'query parameter'))
}

/** Header or query matches: each one's shape, its name and value, and no name twice. */
function checkValueMatches(matches: unknown[], what: 'header' | 'query parameter'): Problem | null {
  for (let i = 0; i < matches.length; i++) {
    const found = checkValueMatch(matches[i], what)
    if (found) return inside(i, found)
  }
  const names = (matches as (HeaderMatch | QueryMatch)[]).map((m) => m.name)
  const twice = firstRepeat(names)
  return twice < 0 ? null : inside(twice, at('name', `${what} "${names[twice]}" is matched twice`))
}

/** Index of the first value that appeared before, or -1; short lists (the usual case) need no Set. */
function firstRepeat(values: readonly unknown[]): number {
  if (values.length <= 16) {
    for (let i = 1; i < values.length; i++) if (values.indexOf(values[i]) < i) return i
    return -1
  }
  const seen = new Set<unknown>()
  for (let i = 0; i < values.length; i++) {
    if (seen.size === seen.add(values[i]).size) return i
  }
  return -1
}

function checkValueMatch(match: unknown, what: 'header' | 'query parameter'): Problem | null {
  if (!isRecord(match)) return problem([], expected('object', match))
  const { name, type, value } = match
  if (typeof name !== 'string' || name.length > 256) return at('name', string(name, 0, 256))
  if (type !== 'Exact' && type !== 'RegularExpression') return at('type', oneOf(type, ['Exact', 'RegularExpression']))
  if (typeof value !== 'string' || value.length > 4096) return at('value', string(value, 0, 4096))
  if (what === 'header' && (!isToken(name) || name !== name.toLowerCase())) return at('name', `invalid header name "${name}" (a lowercase token)`)
  if (what === 'query parameter' && name.length === 0) return at('name', 'empty query parameter name')
  if (type === 'Exact') return hasControlCharacter(value) ? at('value', 'value contains a control character') : null
  const compiled = compileAnchored(value)
  return typeof compiled === 'string' ? at('value', compiled) : null
}
