// HTTPRoute backendRefs (and RequestMirror targets) -> table backends. Only core Services are
// supported (InvalidKind otherwise); a Service in another namespace needs a ReferenceGrant
// (RefNotPermitted); then the Service resolves through its L4 balancer (backends.ts). An
// unusable reference keeps its weight with `gateway: null`, so its share of requests answers
// 500 as the spec asks, and the problem goes to ResolvedRefs.
import type { Backend, Filter } from '../../../edge/src/route-table/types'
import { resolveService } from './backends'
import { GATEWAY_GROUP } from './constants'
import type { CompileContext } from './context'
import { referenceAllowed } from './reference-grants'
import type { BackendProblem } from './results'
import { ok, unsupported, type Checked } from './rule-problem'

export interface BackendObjectRef {
  group: string
  kind: string
  name: string
  namespace?: string | undefined
  port?: number | undefined
}

export interface RouteScope {
  ctx: CompileContext
  namespace: string
  problems: BackendProblem[]
}

/** What an unusable reference means for requests, appended to its problem. */
export const SHARE_ANSWERS_500 = 'requests sent to this backend answer 500'
export const NOT_MIRRORED = 'requests are not mirrored to it'

/** Table ServiceRef port for a reference that names none (only possible for non-Service kinds, never used). */
const NO_PORT = 1

export function resolveBackendRef(
  scope: RouteScope,
  ref: BackendObjectRef,
  weight: number,
  filters: Filter[],
  field: string,
  consequence: string = SHARE_ANSWERS_500,
): Checked<Backend> {
  const namespace = ref.namespace ?? scope.namespace
  const isService = ref.group === '' && ref.kind === 'Service'
  if (isService && ref.port === undefined) return unsupported(`${field}.port`, `backendRef to Service "${ref.name}" needs a port`)
  const unusable = (reason: BackendProblem['reason'], message: string): Checked<Backend> => {
    scope.problems.push({ field, reason, message: `${message}; ${consequence}` })
    return ok({ gateway: null, weight, service: { namespace, name: ref.name, port: ref.port ?? NO_PORT }, filters })
  }
  if (!isService) return unusable('InvalidKind', `backendRef kind ${ref.group ? `${ref.group}/` : ''}${ref.kind} is not supported (only core Services are)`)
  const from = { group: GATEWAY_GROUP, kind: 'HTTPRoute', namespace: scope.namespace }
  if (!referenceAllowed(scope.ctx.inventory.referenceGrants, from, { group: '', kind: 'Service', namespace, name: ref.name })) {
    return unusable('RefNotPermitted', `no ReferenceGrant in namespace ${namespace} allows HTTPRoutes from ${scope.namespace} to reference Service "${ref.name}"`)
  }
  const resolution = resolveService(scope.ctx.inventory.services, scope.ctx.registry, { namespace, name: ref.name, port: ref.port! }, weight, filters, field)
  if (resolution.problem) scope.problems.push({ ...resolution.problem, message: `${resolution.problem.message}; ${consequence}` })
  return ok(resolution.backend!)
}
