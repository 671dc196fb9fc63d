// The rules of one HTTPRoute -> matches and actions, checked against the CRD's cross-field
// rules (filter combinations, ReplacePrefixMatch needing one PathPrefix match, timeouts). A rule
// that breaks them, or uses a match this edge cannot express, is dropped and reported; a rule
// with a filter that cannot be applied stays and answers 500.
import type { Backend, RetryPolicy, RouteAction, RouteMatch } from '../../../edge/src/route-table/types'
import { durationMs } from './duration'
import { resolveBackendRef, type RouteScope } from './httproute-backends'
import { compileFilters } from './httproute-filters'
import { compileMatch } from './httproute-matches'
import type { FilterSpec, RuleSpec } from './model/httproute'
import { routePolicyFilters } from './policy/route-policies'
import type { PolicySettings } from './policy/resolve'
import type { ObjectRef } from './results'
import { incompatible, ok, unsupported, type Checked, type RuleProblem } from './rule-problem'

export interface CompiledRule {
  index: number
  /** By match index. */
  matches: RouteMatch[]
  action: RouteAction
}

export interface CompiledRules {
  rules: CompiledRule[]
  dropped: RuleProblem[]
}

/** Retries when `retry.attempts` is unset (implementation-specific per spec). */
export const DEFAULT_RETRIES = 1
/** Minimum wait between attempts when `retry.backoff` is unset (Envoy's default base interval). */
export const DEFAULT_BACKOFF_MS = 25
const MAX_ATTEMPTS = 100

/**
 * The route's policies for its rules: the object's annotated settings, or null when the
 * annotation cannot be applied (every rule then answers 500; the caller reports it once).
 */
export interface RulePolicies {
  object: ObjectRef
  settings: PolicySettings | null
}

export function compileRules(scope: RouteScope, rules: readonly RuleSpec[], policies: RulePolicies): CompiledRules {
  const out: CompiledRules = { rules: [], dropped: [] }
  rules.forEach((rule, index) => {
    // Backend problems of a dropped rule are not reported: the rule is not served at all.
    const local: RouteScope = { ...scope, problems: [] }
    const compiled = compileRule(local, rule, index, policies)
    if (compiled.ok) {
      out.rules.push(compiled.value)
      scope.problems.push(...local.problems)
    } else {
      out.dropped.push(compiled.problem)
    }
  })
  return out
}

function compileRule(scope: RouteScope, rule: RuleSpec, index: number, policies: RulePolicies): Checked<CompiledRule> {
  const field = `spec.rules[${index}]`
  const matches: RouteMatch[] = []
  for (let m = 0; m < rule.matches.length; m++) {
    const match = compileMatch(rule.matches[m]!, `${field}.matches[${m}]`)
    if (!match.ok) return match
    matches.push(match.value)
  }
  const combination = checkCombination(rule, matches, field)
  if (!combination.ok) return combination
  const filters = compileFilters(scope, rule.filters, `${field}.filters`, false)
  if (!filters.ok) return filters
  const backends: Backend[] = []
  for (let b = 0; b < rule.backendRefs.length; b++) {
    const backend = compileBackend(scope, rule.backendRefs[b]!, `${field}.backendRefs[${b}]`)
    if (!backend.ok) return backend
    backends.push(backend.value)
  }
  const timeouts = compileTimeouts(rule, field)
  if (!timeouts.ok) return timeouts
  const action: RouteAction = { backends, filters: filters.value.filters, timeouts: timeouts.value, retry: compileRetry(rule) }
  const answers500 = { ...action, backends: [], filters: [], retry: null }
  if (policies.settings === null) return ok({ index, matches, action: answers500 })
  const policy = routePolicyFilters(scope.ctx.inventory, policies.object, policies.settings, filters.value.policies, index)
  if (!policy.ok) {
    scope.problems.push({ field: `${field}.filters`, reason: policy.problem.reason, message: `${policy.problem.message}; requests matching rule ${index} answer 500` })
    return ok({ index, matches, action: answers500 })
  }
  action.filters.push(...policy.value)
  if (filters.value.unservable !== null) {
    const reason = rule.filters.some((f) => f.type === 'ExtensionRef') ? 'InvalidKind' : 'UnsupportedValue'
    scope.problems.push({ field: `${field}.filters`, reason, message: `${filters.value.unservable}; requests matching rule ${index} answer 500` })
    return ok({ index, matches, action: answers500 })
  }
  return ok({ index, matches, action })
}

function compileBackend(scope: RouteScope, ref: RuleSpec['backendRefs'][number], field: string): Checked<Backend> {
  const filters = compileFilters(scope, ref.filters, `${field}.filters`, true)
  if (!filters.ok) return filters
  const backend = resolveBackendRef(scope, ref, ref.weight, filters.value.filters, field)
  if (!backend.ok || filters.value.unservable === null) return backend
  scope.problems.push({ field: `${field}.filters`, reason: 'UnsupportedValue', message: `${filters.value.unservable}; this backend's share answers 500` })
  return ok({ ...backend.value, gateway: null })
}

/** The CRD's CEL rules on filter combinations (HTTPRouteRule). */
function checkCombination(rule: RuleSpec, matches: readonly RouteMatch[], field: string): Checked<null> {
  const has = (type: string) => rule.filters.some((f) => f.type === type)
  if (has('RequestRedirect') && has('URLRewrite')) return incompatible(`${field}.filters`, 'RequestRedirect and URLRewrite filters must not be combined')
  if (has('RequestRedirect') && rule.backendRefs.length > 0) return incompatible(`${field}.filters`, 'a RequestRedirect filter must not be used together with backendRefs')
  const prefixReplaced = (filters: readonly FilterSpec[]) =>
    filters.some((f) => (f.requestRedirect?.path ?? f.urlRewrite?.path)?.type === 'ReplacePrefixMatch')
  if (prefixReplaced(rule.filters) || rule.backendRefs.some((b) => prefixReplaced(b.filters))) {
    if (matches.length !== 1 || matches[0]!.path.type !== 'PathPrefix') {
      return incompatible(`${field}.matches`, 'a filter with path.replacePrefixMatch needs exactly one PathPrefix match in its rule')
    }
  }
  return ok(null)
}

function compileTimeouts(rule: RuleSpec, field: string): Checked<RouteAction['timeouts']> {
  const requestMs = rule.timeouts?.request === undefined ? null : durationMs(rule.timeouts.request)
  const backendMs = rule.timeouts?.backendRequest === undefined ? null : durationMs(rule.timeouts.backendRequest)
  if (requestMs !== null && backendMs !== null && requestMs > 0 && backendMs > requestMs) {
    return unsupported(`${field}.timeouts.backendRequest`, 'backendRequest timeout cannot be longer than request timeout')
  }
  return ok({ requestMs, backendMs })
}

function compileRetry(rule: RuleSpec): RetryPolicy | null {
  if (!rule.retry) return null
  const retries = rule.retry.attempts ?? DEFAULT_RETRIES
  if (retries === 0) return null
  return {
    attempts: Math.min(retries + 1, MAX_ATTEMPTS),
    onStatus: [...new Set(rule.retry.codes)],
    backoffMs: rule.retry.backoff === undefined ? DEFAULT_BACKOFF_MS : durationMs(rule.retry.backoff),
  }
}
