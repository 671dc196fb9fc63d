// Ingress (networking.k8s.io/v1) of our class -> table candidates. Each path becomes one route
// on the rule's host (`*` when the rule names none; wildcard hosts match exactly one label);
// `Exact` stays Exact, `Prefix` and `ImplementationSpecific` become PathPrefix (documented
// choice, docs/compiler.md). spec.defaultBackend becomes a fallback candidate.
import type { Filter, RouteAction } from '../../../edge/src/route-table/types'
import { resolveService } from './backends'
import type { Candidate, Owner } from './candidate'
import { report, type CompileContext } from './context'
import type { Ingress, IngressBackend } from './model/ingress'
import type { Known } from './model/inventory'
import { tablePath } from './paths'
import { POLICY_FIELD } from './policy/annotation'
import { objectPolicies, routePolicyFilters } from './policy/route-policies'
import type { BackendProblem } from './results'

export interface CompiledIngress {
  owner: Owner
  generation: number
  candidates: Candidate[]
  fallback: RouteAction | null
  backendProblems: BackendProblem[]
}

export function compileIngress(ctx: CompileContext, known: Known<Ingress>): CompiledIngress {
  const owner: Owner = { ref: known.ref, createdAt: known.createdAt }
  const compiled: CompiledIngress = { owner, generation: known.generation, candidates: [], fallback: null, backendProblems: [] }
  const policy = ingressPolicyFilters(ctx, known, compiled)
  const { spec } = known.value
  let flat = 0
  spec.rules.forEach((rule, r) => {
    if (!rule.http) {
      report(ctx, 'info', known.ref, `spec.rules[${r}]`, `rule for host ${rule.host ?? '*'} has no http paths; only a defaultBackend can serve it`)
      return
    }
    rule.http.paths.forEach((path, p) => {
      const index = flat++
      const field = `spec.rules[${r}].http.paths[${p}]`
      const type = path.pathType === 'Exact' ? 'Exact' : 'PathPrefix'
      const raw = path.path ?? (path.pathType === 'ImplementationSpecific' ? '/' : '')
      const value = tablePath(type, raw)
      if (!value.ok) {
        report(ctx, 'error', known.ref, `${field}.path`, `path "${raw}" cannot be matched (${value.error}); this path is left out`)
        return
      }
      if (value.changed) report(ctx, 'warning', known.ref, `${field}.path`, `path "${raw}" is matched as "${value.value}" (requests are normalised the same way)`)
      compiled.candidates.push({
        hostname: rule.host ?? '*',
        origin: rule.host ?? '*',
        scope: null,
        wildcard: 'single-label',
        listenerPorts: [],
        owner,
        rule: index,
        match: 0,
        parents: [],
        routeMatch: { path: { type, value: value.value }, method: null, headers: [], query: [] },
        action: withPolicy(actionFor(ctx, known, compiled, path.backend, `${field}.backend`), policy),
      })
    })
  })
  if (spec.defaultBackend) compiled.fallback = withPolicy(actionFor(ctx, known, compiled, spec.defaultBackend, 'spec.defaultBackend'), policy)
  return compiled
}

/** The filters of the Ingress's edge-ingress.io/policy annotation, or null when they cannot be applied (reported here, once). */
function ingressPolicyFilters(ctx: CompileContext, known: Known<Ingress>, compiled: CompiledIngress): Filter[] | null {
  const settings = objectPolicies(ctx.inventory, known.ref, known.value.metadata.annotations)
  const filters = settings.ok ? routePolicyFilters(ctx.inventory, known.ref, settings.value, [], null) : settings
  if (filters.ok) return filters.value
  const message = `${filters.problem.message}; every path answers 500`
  compiled.backendProblems.push({ field: POLICY_FIELD, reason: filters.problem.reason, message })
  report(ctx, 'error', known.ref, POLICY_FIELD, message)
  return null
}

/** A policy that cannot be applied is never skipped: the path answers 500 instead. */
const withPolicy = (action: RouteAction, policy: Filter[] | null): RouteAction =>
  policy === null ? { ...action, backends: [], filters: [] } : policy.length === 0 ? action : { ...action, filters: [...action.filters, ...policy] }

function actionFor(ctx: CompileContext, known: Known<Ingress>, compiled: CompiledIngress, backend: IngressBackend, field: string): RouteAction {
  const action: RouteAction = { backends: [], filters: [], timeouts: { requestMs: null, backendMs: null }, retry: null }
  if (backend.resource) {
    const message = `resource backend ${backend.resource.kind} "${backend.resource.name}" is not supported; matching requests answer 500`
    compiled.backendProblems.push({ field, reason: 'InvalidKind', message })
    report(ctx, 'error', known.ref, field, message)
    return action
  }
  const service = backend.service!
  const resolution = resolveService(ctx.inventory.services, ctx.registry, {
    namespace: known.ref.namespace,
    name: service.name,
    port: service.port.number ?? service.port.name!,
  }, 1, [], field)
  if (resolution.backend) action.backends.push(resolution.backend)
  if (resolution.problem) {
    const problem = { ...resolution.problem, message: `${resolution.problem.message}; matching requests answer 500` }
    compiled.backendProblems.push(problem)
    report(ctx, problem.reason === 'BackendNotReady' ? 'warning' : 'error', known.ref, field, problem.message)
  }
  return action
}
