// Sorts plain Kubernetes objects (from manifest files or informer caches) by kind, validates
// each against its schema, and indexes them for the compiler. Never throws: an object that
// fails validation becomes an `invalid` entry, so that its status and diagnostics can say so.
// Results are memoised per object identity: informer caches hand the same objects to every
// recompile, so only changed objects are validated again.
import type { z } from 'zod'
import { GATEWAY_GROUP, UNKNOWN_CREATION_TIME } from '../constants'
import type { Diagnostic, ObjectRef } from '../results'
import { namespace, service, type Namespace, type Service } from './core'
import { EDGE_POLICY_GROUP, EDGE_POLICY_KIND, edgePolicy, secret, type EdgePolicy, type Secret } from './edge-policy'
import { gateway, gatewayClass, referenceGrant, type Gateway, type GatewayClass, type ReferenceGrant } from './gateway'
import { httpRoute, type HTTPRoute } from './httproute'
import { ingress, ingressClass, type Ingress, type IngressClass } from './ingress'

/** A Kubernetes object as JSON (or as a client library decoded it: timestamps may be Dates). */
export type KubeObject = Record<string, unknown>

export interface Known<T> {
  ref: ObjectRef
  /** metadata.creationTimestamp as an ISO string; UNKNOWN_CREATION_TIME when absent. */
  createdAt: string
  generation: number
  value: T
}

/** An object of a kind we read whose fields failed validation. */
export interface Invalid {
  ref: ObjectRef
  raw: KubeObject
  message: string
}

export interface Inventory {
  ingresses: Known<Ingress>[]
  ingressClasses: Map<string, Known<IngressClass>>
  gatewayClasses: Map<string, Known<GatewayClass>>
  /** By `namespace/name`. */
  gateways: Map<string, Known<Gateway>>
  httpRoutes: Known<HTTPRoute>[]
  /** By `namespace/name`. */
  services: Map<string, Known<Service>>
  namespaces: Map<string, Known<Namespace>>
  referenceGrants: Known<ReferenceGrant>[]
  /** By `namespace/name`. */
  edgePolicies: Map<string, Known<EdgePolicy>>
  /** By `namespace/name`: Secrets holding API keys for EdgePolicies. */
  secrets: Map<string, Known<Secret>>
  invalid: Invalid[]
  diagnostics: Diagnostic[]
}

interface KindSpec {
  kind: string
  groups: readonly string[]
  versions: readonly string[]
  namespaced: boolean
  schema: z.ZodType
}

const KINDS: readonly KindSpec[] = [
  { kind: 'Ingress', groups: ['networking.k8s.io'], versions: ['v1'], namespaced: true, schema: ingress },
  { kind: 'IngressClass', groups: ['networking.k8s.io'], versions: ['v1'], namespaced: false, schema: ingressClass },
  { kind: 'HTTPRoute', groups: [GATEWAY_GROUP], versions: ['v1', 'v1beta1'], namespaced: true, schema: httpRoute },
  { kind: 'Gateway', groups: [GATEWAY_GROUP], versions: ['v1', 'v1beta1'], namespaced: true, schema: gateway },
  { kind: 'GatewayClass', groups: [GATEWAY_GROUP], versions: ['v1', 'v1beta1'], namespaced: false, schema: gatewayClass },
  { kind: 'ReferenceGrant', groups: [GATEWAY_GROUP], versions: ['v1', 'v1beta1'], namespaced: true, schema: referenceGrant },
  { kind: 'Service', groups: [''], versions: ['v1'], namespaced: true, schema: service },
  { kind: 'Namespace', groups: [''], versions: ['v1'], namespaced: false, schema: namespace },
  { kind: EDGE_POLICY_KIND, groups: [EDGE_POLICY_GROUP], versions: ['v1alpha1'], namespaced: true, schema: edgePolicy },
  { kind: 'Secret', groups: [''], versions: ['v1'], namespaced: true, schema: secret },
]
const BY_KIND = new Map(KINDS.map((spec) => [spec.kind, spec]))

type Checked =
  | { status: 'known'; spec: KindSpec; known: Known<unknown> }
  | { status: 'invalid'; spec: KindSpec; invalid: Invalid }
  | { status: 'ignored'; diagnostic: Diagnostic }

const memo = new WeakMap<object, Checked>()

export function buildInventory(objects: readonly unknown[]): Inventory {
  const inventory: Inventory = {
    ingresses: [],
    ingressClasses: new Map(),
    gatewayClasses: new Map(),
    gateways: new Map(),
    httpRoutes: [],
    services: new Map(),
    namespaces: new Map(),
    referenceGrants: [],
    edgePolicies: new Map(),
    secrets: new Map(),
    invalid: [],
    diagnostics: [],
  }
  const seen = new Set<string>()
  for (const object of objects) {
    const checked = check(object)
    if (checked.status === 'ignored') {
      inventory.diagnostics.push(checked.diagnostic)
      continue
    }
    const ref = checked.status === 'known' ? checked.known.ref : checked.invalid.ref
    const key = `${ref.kind}/${ref.namespace}/${ref.name}`
    if (seen.has(key)) {
      inventory.diagnostics.push({ severity: 'warning', object: ref, field: null, message: 'appears more than once in the input; the last one is used' })
      removeEarlier(inventory, ref)
    }
    seen.add(key)
    if (checked.status === 'invalid') {
      // Reported by the compiler, which knows whether the object is ours (other classes' are ignored).
      inventory.invalid.push(checked.invalid)
    } else {
      add(inventory, checked.known)
    }
  }
  return inventory
}

function check(object: unknown): Checked {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    return { status: 'ignored', diagnostic: { severity: 'error', object: null, field: null, message: 'not a Kubernetes object (expected a mapping with apiVersion and kind)' } }
  }
  const cached = memo.get(object)
  if (cached) return cached
  const result = checkObject(object as KubeObject)
  memo.set(object, result)
  return result
}

/** The kind spec for an apiVersion/kind the compiler reads, else undefined. */
function kindSpec(apiVersion: unknown, kind: unknown): KindSpec | undefined {
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return undefined
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/', 2) as [string, string]) : ['', apiVersion]
  const spec = BY_KIND.get(kind)
  return spec && spec.groups.includes(group) && spec.versions.includes(version) ? spec : undefined
}

export const compilerReads = (apiVersion: unknown, kind: unknown): boolean => kindSpec(apiVersion, kind) !== undefined

function checkObject(object: KubeObject): Checked {
  const kind = typeof object.kind === 'string' ? object.kind : ''
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : ''
  const spec = kindSpec(apiVersion, kind)
  const looseRef = refFrom(object, kind, spec?.namespaced ?? true)
  if (!spec) {
    const what = kind && apiVersion ? `${apiVersion} ${kind}` : 'object without apiVersion/kind'
    return { status: 'ignored', diagnostic: { severity: 'info', object: kind ? looseRef : null, field: null, message: `${what} is not used by the route compiler; ignored` } }
  }
  const parsed = spec.schema.safeParse(withDefaultNamespace(withStringTimestamp(object), spec.namespaced))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return { status: 'invalid', spec, invalid: { ref: looseRef, raw: object, message: `${fieldPath(issue.path)}: ${issue.message}` } }
  }
  const value = parsed.data as { metadata: { creationTimestamp?: string; generation?: number } }
  const createdAt = isoTime(value.metadata.creationTimestamp)
  return { status: 'known', spec, known: { ref: looseRef, createdAt, generation: value.metadata.generation ?? 0, value } }
}

function add(inventory: Inventory, known: Known<unknown>): void {
  const { kind, namespace: ns, name } = known.ref
  const key = `${ns}/${name}`
  switch (kind) {
    case 'Ingress': inventory.ingresses.push(known as Known<Ingress>); break
    case 'IngressClass': inventory.ingressClasses.set(name, known as Known<IngressClass>); break
    case 'HTTPRoute': inventory.httpRoutes.push(known as Known<HTTPRoute>); break
    case 'Gateway': inventory.gateways.set(key, known as Known<Gateway>); break
    case 'GatewayClass': inventory.gatewayClasses.set(name, known as Known<GatewayClass>); break
    case 'ReferenceGrant': inventory.referenceGrants.push(known as Known<ReferenceGrant>); break
    case 'Service': inventory.services.set(key, known as Known<Service>); break
    case 'Namespace': inventory.namespaces.set(name, known as Known<Namespace>); break
    case EDGE_POLICY_KIND: inventory.edgePolicies.set(key, known as Known<EdgePolicy>); break
    case 'Secret': inventory.secrets.set(key, known as Known<Secret>); break
  }
}

function removeEarlier(inventory: Inventory, ref: ObjectRef): void {
  const same = (other: ObjectRef) => other.kind === ref.kind && other.namespace === ref.namespace && other.name === ref.name
  inventory.ingresses = inventory.ingresses.filter((k) => !same(k.ref))
  inventory.httpRoutes = inventory.httpRoutes.filter((k) => !same(k.ref))
  inventory.referenceGrants = inventory.referenceGrants.filter((k) => !same(k.ref))
  inventory.invalid = inventory.invalid.filter((k) => !same(k.ref))
}

function refFrom(object: KubeObject, kind: string, namespaced: boolean): ObjectRef {
  const meta = (typeof object.metadata === 'object' && object.metadata !== null ? object.metadata : {}) as Record<string, unknown>
  const name = typeof meta.name === 'string' ? meta.name : '(unnamed)'
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : 'default'
  return { kind, namespace: namespaced ? ns : '', name }
}

/** kubectl's rule: a namespaced object without a namespace goes to `default`. */
function withDefaultNamespace(object: KubeObject, namespaced: boolean): KubeObject {
  const meta = object.metadata as Record<string, unknown> | undefined
  if (!namespaced || typeof meta !== 'object' || meta === null || (typeof meta.namespace === 'string' && meta.namespace !== '')) return object
  return { ...object, metadata: { ...meta, namespace: 'default' } }
}

/** Client libraries decode creationTimestamp to a Date; the schemas read the JSON form. */
function withStringTimestamp(object: KubeObject): KubeObject {
  const meta = object.metadata as Record<string, unknown> | undefined
  if (typeof meta !== 'object' || meta === null || !(meta.creationTimestamp instanceof Date)) return object
  return { ...object, metadata: { ...meta, creationTimestamp: meta.creationTimestamp.toISOString() } }
}

function isoTime(value: string | undefined): string {
  const millis = value === undefined ? Number.NaN : Date.parse(value)
  return Number.isFinite(millis) ? new Date(millis).toISOString() : UNKNOWN_CREATION_TIME
}

/** `spec.rules[0].matches[1]` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`
  return out || '(object)'
}
