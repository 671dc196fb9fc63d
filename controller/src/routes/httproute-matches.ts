// HTTPRouteMatch -> table RouteMatch. Path types Exact and PathPrefix (RegularExpression paths
// are not in the table contract: UnsupportedValue); headers and query parameters Exact or
// RegularExpression (JavaScript syntax, full-string match); of several entries with equivalent
// names only the first counts, as the spec says.
import { compileAnchored, hasControlCharacter } from '../../../edge/src/route-table/syntax'
import type { HeaderMatch, QueryMatch, RouteMatch } from '../../../edge/src/route-table/types'
import type { MatchSpec, ValueMatchSpec } from './model/httproute'
import { tablePath } from './paths'
import { ok, unsupported, type Checked } from './rule-problem'

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'])
const PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/

export function compileMatch(match: MatchSpec, field: string): Checked<RouteMatch> {
  const path = compilePath(match.path, `${field}.path`)
  if (!path.ok) return path
  if (match.method !== undefined && !METHODS.has(match.method)) return unsupported(`${field}.method`, `method "${match.method}" is not supported`)
  const headers = compileValues(match.headers, `${field}.headers`, (name) => name.toLowerCase())
  if (!headers.ok) return headers
  const query = compileValues(match.queryParams, `${field}.queryParams`, (name) => name)
  if (!query.ok) return query
  return ok({ path: path.value, method: match.method ?? null, headers: headers.value, query: query.value })
}

function compilePath(path: MatchSpec['path'], field: string): Checked<RouteMatch['path']> {
  if (path.type === 'RegularExpression') {
    return unsupported(`${field}.type`, 'RegularExpression path matches are not supported (the route table has Exact and PathPrefix)')
  }
  if (path.type !== 'Exact' && path.type !== 'PathPrefix') return unsupported(`${field}.type`, `unknown path match type "${path.type}"`)
  const problem = pathRuleViolation(path.value)
  if (problem) return unsupported(`${field}.value`, `path "${path.value}" ${problem}`)
  const value = tablePath(path.type, path.value)
  if (!value.ok) return unsupported(`${field}.value`, `path "${path.value}": ${value.error}`)
  return ok({ type: path.type, value: value.value })
}

/** The CRD's validation rules for Exact and PathPrefix values (HTTPPathMatch). */
function pathRuleViolation(value: string): string | null {
  if (!value.startsWith('/')) return 'must be an absolute path and start with "/"'
  for (const bad of ['//', '/./', '/../', '#']) if (value.includes(bad)) return `must not contain "${bad}"`
  if (/%2f/i.test(value)) return 'must not contain "%2F"'
  if (value.endsWith('/..') || value.endsWith('/.')) return 'must not end with "/." or "/.."'
  if (!PATH_CHARACTERS.test(value)) return 'contains characters that are not allowed in a path'
  return null
}

function compileValues(entries: readonly ValueMatchSpec[], field: string, key: (name: string) => string): Checked<(HeaderMatch & QueryMatch)[]> {
  const seen = new Set<string>()
  const out: (HeaderMatch & QueryMatch)[] = []
  for (let i = 0; i < entries.length; i++) {
    const { name, type, value } = entries[i]!
    const normalName = key(name)
    if (seen.has(normalName)) continue // only the first entry of an equivalent name counts
    seen.add(normalName)
    if (type !== 'Exact' && type !== 'RegularExpression') return unsupported(`${field}[${i}].type`, `unknown match type "${type}"`)
    if (type === 'RegularExpression') {
      const compiled = compileAnchored(value)
      if (typeof compiled === 'string') return unsupported(`${field}[${i}].value`, compiled)
    } else if (hasControlCharacter(value)) {
      return unsupported(`${field}[${i}].value`, 'value contains a control character')
    }
    out.push({ name: normalName, type, value })
  }
  return ok(out)
}
