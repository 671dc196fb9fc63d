// What a compile says besides the table: per-object outcomes as data, shaped after the status
// the controller writes (metav1.Condition without timestamps: the controller sets those when a
// condition changes), plus conflicts and diagnostics for `edge-ingress routes check`.
import type { RouteTable } from '../../../edge/src/route-table/types'

/** A Kubernetes object; `namespace` is '' for cluster-scoped kinds. */
export interface ObjectRef {
  kind: string
  namespace: string
  name: string
}

export type Severity = 'error' | 'warning' | 'info'

export interface Diagnostic {
  severity: Severity
  object: ObjectRef | null
  /** Field path inside the object, e.g. `spec.rules[0].backendRefs[1]`, or null. */
  field: string | null
  message: string
}

export interface Condition {
  type: string
  status: 'True' | 'False' | 'Unknown'
  reason: string
  message: string
  observedGeneration: number
}

/** Why a backend reference is (not) usable; the Gateway API's ResolvedRefs reasons plus ours. */
export type BackendReason =
  | 'ResolvedRefs'
  | 'BackendNotFound'
  | 'RefNotPermitted'
  | 'InvalidKind'
  /** Ours: the Service exists but has no L4 balancer address (status.loadBalancer) yet. */
  | 'BackendNotReady'
  | 'UnsupportedValue'
  /** Ours: an EdgePolicy (or the Secret with its API keys) that a route names does not exist. */
  | 'PolicyNotFound'
  /** Ours: the route's policies cannot be applied (malformed annotation, invalid EdgePolicy, clashing settings). */
  | 'InvalidPolicy'

export interface BackendProblem {
  field: string
  reason: Exclude<BackendReason, 'ResolvedRefs'>
  message: string
}

/** One side of a conflict: which object, and which of its rules/matches. */
export interface ConflictParty {
  object: ObjectRef
  rule: number
  match: number
  createdAt: string
}

/** Two objects claimed the same host and an identical match: the oldest won, the other is left out. */
export interface Conflict {
  hostname: string
  /** Human-readable match, e.g. `PathPrefix /api, method GET`, or `defaultBackend`. */
  match: string
  listenerPorts: number[]
  winner: ConflictParty
  loser: ConflictParty
  message: string
}

export interface IngressResult {
  object: ObjectRef
  generation: number
  /** True when at least one of its paths or its defaultBackend is in the table. */
  accepted: boolean
  /** One line for an Event: what happened to this Ingress. */
  message: string
  /** Hostnames/paths (or the defaultBackend) it lost to an older object. */
  conflicts: Conflict[]
  /** Backends that answer 500 until fixed, and why. */
  backendProblems: BackendProblem[]
}

export interface ParentRefKey {
  group: string
  kind: string
  namespace: string
  name: string
  sectionName: string | null
  port: number | null
}

/** RouteParentStatus: one per parentRef that names a Gateway of our class. */
export interface RouteParentResult {
  parentRef: ParentRefKey
  controllerName: string
  conditions: Condition[]
}

export interface HTTPRouteResult {
  object: ObjectRef
  generation: number
  parents: RouteParentResult[]
  conflicts: Conflict[]
  backendProblems: BackendProblem[]
}

export interface RouteGroupKind {
  group: string
  kind: string
}

export interface ListenerResult {
  name: string
  supportedKinds: RouteGroupKind[]
  attachedRoutes: number
  conditions: Condition[]
}

export interface GatewayResult {
  object: ObjectRef
  generation: number
  conditions: Condition[]
  listeners: ListenerResult[]
}

export interface GatewayClassResult {
  object: ObjectRef
  generation: number
  conditions: Condition[]
}

export interface CompileResult {
  table: RouteTable
  ingresses: IngressResult[]
  httpRoutes: HTTPRouteResult[]
  gateways: GatewayResult[]
  gatewayClasses: GatewayClassResult[]
  conflicts: Conflict[]
  diagnostics: Diagnostic[]
}
