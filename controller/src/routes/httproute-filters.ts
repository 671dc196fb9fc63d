// HTTPRoute filters -> table filters. Core and extended filters are carried over with their
// defaults applied; fields left unset stay null (the edge derives request-time defaults, e.g. a
// redirect's port, per spec). ExtensionRef and unknown filter types cannot be skipped (spec:
// "the filter MUST NOT be skipped"): the rule, or the backend's share, answers 500 instead.
import { normalizePath } from '../../../edge/src/route-table/normalize-path'
import { hasControlCharacter } from '../../../edge/src/route-table/syntax'
import type { CorsPolicy, Filter, HeaderModifier, PathModifier } from '../../../edge/src/route-table/types'
import { NOT_MIRRORED, resolveBackendRef, type RouteScope } from './httproute-backends'
import type { FilterSpec, HeaderModifierSpec, PathModifierSpec } from './model/httproute'
import { EDGE_POLICY_GROUP, EDGE_POLICY_KIND } from './model/edge-policy'
import { ok, unsupported, type Checked } from './rule-problem'

export interface CompiledFilters {
  filters: Filter[]
  /** Names of the EdgePolicies the rule's ExtensionRef filters reference (policy/route-policies.ts). */
  policies: string[]
  /** Set when a filter cannot be applied: requests it would process answer 500 (why, in words). */
  unservable: string | null
}

const FIELD_OF: Record<string, keyof FilterSpec> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  RequestMirror: 'requestMirror',
  CORS: 'cors',
  ExtensionRef: 'extensionRef',
}
const REPEATABLE = new Set(['RequestMirror', 'ExtensionRef'])
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308])
const CORS_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '*'])
/** The route table's origin form (docs/route-table.md): `*`, or scheme://host[:port] with an optional `*.` label. */
const TABLE_ORIGIN = /^(?:\*|https?:\/\/(?:\*|(?:\*\.)?[a-z0-9.-]+)(?::\d{1,5})?)$/

/** `backendLevel`: filters of one backendRef, where the table carries header modifiers only. */
export function compileFilters(scope: RouteScope, specs: readonly FilterSpec[], field: string, backendLevel: boolean): Checked<CompiledFilters> {
  const out: CompiledFilters = { filters: [], policies: [], unservable: null }
  const seen = new Set<string>()
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!
    const at = `${field}[${i}]`
    const shape = checkShape(spec, at)
    if (!shape.ok) return shape
    if (seen.has(spec.type) && !REPEATABLE.has(spec.type)) return unsupported(`${at}.type`, `${spec.type} filter must not be repeated`)
    seen.add(spec.type)
    if (backendLevel && spec.type !== 'RequestHeaderModifier' && spec.type !== 'ResponseHeaderModifier') {
      out.unservable ??= `${spec.type} filters on a backendRef are not supported (${at})`
      continue
    }
    if (spec.type === 'ExtensionRef' && isEdgePolicyRef(spec.extensionRef!)) {
      out.policies.push(spec.extensionRef!.name)
      continue
    }
    const filter = compileFilter(scope, spec, at)
    if (!filter.ok) return filter
    if (filter.value === null) out.unservable ??= unservableReason(spec, at)
    else out.filters.push(filter.value)
  }
  return ok(out)
}

/** The CRD's rule: the field named after the type is set, and no other filter field is. */
function checkShape(spec: FilterSpec, at: string): Checked<null> {
  const own = FIELD_OF[spec.type]
  if (own !== undefined && spec[own] === undefined) return unsupported(`${at}.${own}`, `${own} must be set for filter type ${spec.type}`)
  for (const fieldName of Object.values(FIELD_OF)) {
    if (fieldName !== own && spec[fieldName] !== undefined) return unsupported(`${at}.${fieldName}`, `${fieldName} must not be set for filter type ${spec.type}`)
  }
  return ok(null)
}

const isEdgePolicyRef = (ref: NonNullable<FilterSpec['extensionRef']>) => ref.group === EDGE_POLICY_GROUP && ref.kind === EDGE_POLICY_KIND

function unservableReason(spec: FilterSpec, at: string): string {
  if (spec.type === 'ExtensionRef') {
    const ref = spec.extensionRef!
    return `ExtensionRef filter ${ref.group ? `${ref.group}/` : ''}${ref.kind} "${ref.name}" is not supported (${at})`
  }
  return `unknown filter type "${spec.type}" (${at})`
}

/** Null: a filter this edge cannot apply (ExtensionRef, unknown type). */
function compileFilter(scope: RouteScope, spec: FilterSpec, at: string): Checked<Filter | null> {
  switch (spec.type) {
    case 'RequestHeaderModifier':
    case 'ResponseHeaderModifier': {
      const modifier = headerModifier(spec.type === 'RequestHeaderModifier' ? spec.requestHeaderModifier! : spec.responseHeaderModifier!, `${at}.${FIELD_OF[spec.type]}`)
      return modifier.ok ? ok({ type: spec.type, ...modifier.value }) : modifier
    }
    case 'RequestRedirect': {
      const r = spec.requestRedirect!
      if (!REDIRECT_CODES.has(r.statusCode)) return unsupported(`${at}.requestRedirect.statusCode`, `status code ${r.statusCode} is not a redirect code (301, 302, 303, 307, 308)`)
      const path = r.path ? pathModifier(r.path, `${at}.requestRedirect.path`) : ok(null)
      if (!path.ok) return path
      return ok({
        type: 'RequestRedirect',
        scheme: r.scheme ?? null,
        hostname: r.hostname ?? null,
        port: r.port ?? null,
        path: path.value,
        statusCode: r.statusCode as 301 | 302 | 303 | 307 | 308,
      })
    }
    case 'URLRewrite': {
      const r = spec.urlRewrite!
      const path = r.path ? pathModifier(r.path, `${at}.urlRewrite.path`) : ok(null)
      if (!path.ok) return path
      return ok({ type: 'URLRewrite', hostname: r.hostname ?? null, path: path.value })
    }
    case 'RequestMirror': {
      const m = spec.requestMirror!
      if (m.percent !== undefined && m.fraction !== undefined) return unsupported(`${at}.requestMirror`, 'only one of percent or fraction may be set')
      if (m.fraction && m.fraction.numerator > m.fraction.denominator) return unsupported(`${at}.requestMirror.fraction`, 'numerator must not exceed denominator')
      const backend = resolveBackendRef(scope, m.backendRef, 1, [], `${at}.requestMirror.backendRef`, NOT_MIRRORED)
      if (!backend.ok) return backend
      const percent = m.percent ?? (m.fraction ? (m.fraction.numerator / m.fraction.denominator) * 100 : 100)
      return ok({ type: 'RequestMirror', backend: backend.value, percent })
    }
    case 'CORS': {
      const cors = corsPolicy(spec.cors!, `${at}.cors`)
      return cors.ok ? ok({ type: 'CORS', ...cors.value }) : cors
    }
    default:
      return ok(null)
  }
}

function headerModifier(spec: HeaderModifierSpec, field: string): Checked<HeaderModifier> {
  for (const list of ['set', 'add'] as const) {
    const names = new Set<string>()
    for (let i = 0; i < spec[list].length; i++) {
      const { name, value } = spec[list][i]!
      if (names.has(name.toLowerCase())) return unsupported(`${field}.${list}[${i}].name`, `header "${name}" appears twice (names are case-insensitive)`)
      names.add(name.toLowerCase())
      if (hasControlCharacter(value)) return unsupported(`${field}.${list}[${i}].value`, 'header value contains a control character')
    }
  }
  const remove = [...new Set(spec.remove.map((name) => name.toLowerCase()))]
  return ok({ set: spec.set.map(({ name, value }) => ({ name, value })), add: spec.add.map(({ name, value }) => ({ name, value })), remove })
}

function pathModifier(spec: PathModifierSpec, field: string): Checked<PathModifier> {
  const value = spec.type === 'ReplaceFullPath' ? spec.replaceFullPath : spec.type === 'ReplacePrefixMatch' ? spec.replacePrefixMatch : undefined
  if (spec.type !== 'ReplaceFullPath' && spec.type !== 'ReplacePrefixMatch') return unsupported(`${field}.type`, `unknown path modifier type "${spec.type}"`)
  const other = spec.type === 'ReplaceFullPath' ? spec.replacePrefixMatch : spec.replaceFullPath
  if (value === undefined) return unsupported(field, `${spec.type} needs its value (${spec.type === 'ReplaceFullPath' ? 'replaceFullPath' : 'replacePrefixMatch'})`)
  if (other !== undefined) return unsupported(field, `only the field of type ${spec.type} may be set`)
  const normal = normalizePath(value)
  if (!normal.ok) return unsupported(field, `path "${value}": ${normal.error}`)
  return ok({ type: spec.type, value: normal.path })
}

function corsPolicy(spec: NonNullable<FilterSpec['cors']>, field: string): Checked<CorsPolicy> {
  const lists = { allowOrigins: spec.allowOrigins, allowMethods: spec.allowMethods, allowHeaders: spec.allowHeaders }
  for (const [name, list] of Object.entries(lists)) {
    if (list.includes('*') && list.length > 1) return unsupported(`${field}.${name}`, `"*" must be the only entry of ${name}`)
  }
  const badMethod = spec.allowMethods.find((m) => !CORS_METHODS.has(m))
  if (badMethod !== undefined) return unsupported(`${field}.allowMethods`, `method "${badMethod}" is not supported`)
  const allowOrigins = spec.allowOrigins.map((origin) => origin.toLowerCase())
  const badOrigin = allowOrigins.findIndex((origin) => !TABLE_ORIGIN.test(origin))
  if (badOrigin >= 0) {
    return unsupported(`${field}.allowOrigins[${badOrigin}]`, `origin "${spec.allowOrigins[badOrigin]}" is not supported (use "*", or scheme://host[:port] where host may be "*" or start with "*.")`)
  }
  return ok({
    allowOrigins,
    allowMethods: spec.allowMethods,
    allowHeaders: spec.allowHeaders,
    exposeHeaders: spec.exposeHeaders,
    allowCredentials: spec.allowCredentials,
    maxAgeSeconds: spec.maxAge,
  })
}
