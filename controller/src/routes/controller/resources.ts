// The collections the route compiler reads from a live cluster, with the apiVersion and kind
// that list items lack (the apiserver leaves them out of list responses for built-in kinds).
// Gateway API and edge-ingress.io ones are read only when the cluster serves them.
import { API_KEYS_LABEL } from '../model/edge-policy'

export interface RouteResource {
  /** Collection path for list + watch. */
  path: string
  apiVersion: string
  kind: string
  /** Plural name under gateway.networking.k8s.io/v1, or null for built-in kinds. */
  gatewayApi: string | null
  /** Plural name under edge-ingress.io/v1alpha1: read only when that CRD is installed. */
  edgeIngressApi?: string
  /** Secrets: read only when the controller is told it may (--api-key-secrets). */
  secrets?: true
}

const GATEWAY_V1 = 'gateway.networking.k8s.io/v1'
const EDGE_INGRESS_V1ALPHA1 = 'edge-ingress.io/v1alpha1'

export const ROUTE_RESOURCES = {
  ingresses: { path: '/apis/networking.k8s.io/v1/ingresses', apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', gatewayApi: null },
  ingressClasses: { path: '/apis/networking.k8s.io/v1/ingressclasses', apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', gatewayApi: null },
  services: { path: '/api/v1/services', apiVersion: 'v1', kind: 'Service', gatewayApi: null },
  namespaces: { path: '/api/v1/namespaces', apiVersion: 'v1', kind: 'Namespace', gatewayApi: null },
  gatewayClasses: { path: `/apis/${GATEWAY_V1}/gatewayclasses`, apiVersion: GATEWAY_V1, kind: 'GatewayClass', gatewayApi: 'gatewayclasses' },
  gateways: { path: `/apis/${GATEWAY_V1}/gateways`, apiVersion: GATEWAY_V1, kind: 'Gateway', gatewayApi: 'gateways' },
  httpRoutes: { path: `/apis/${GATEWAY_V1}/httproutes`, apiVersion: GATEWAY_V1, kind: 'HTTPRoute', gatewayApi: 'httproutes' },
  referenceGrants: { path: `/apis/${GATEWAY_V1}/referencegrants`, apiVersion: GATEWAY_V1, kind: 'ReferenceGrant', gatewayApi: 'referencegrants' },
  edgePolicies: { path: `/apis/${EDGE_INGRESS_V1ALPHA1}/edgepolicies`, apiVersion: EDGE_INGRESS_V1ALPHA1, kind: 'EdgePolicy', gatewayApi: null, edgeIngressApi: 'edgepolicies' },
  // Only the Secrets labelled as API keys for EdgePolicies (docs/api-gateway.md).
  apiKeySecrets: { path: `/api/v1/secrets?labelSelector=${encodeURIComponent(`${API_KEYS_LABEL}=true`)}`, apiVersion: 'v1', kind: 'Secret', gatewayApi: null, edgeIngressApi: 'edgepolicies', secrets: true },
} as const satisfies Record<string, RouteResource>

/** Besides the Gateway API: the edge-ingress.io resources the cluster serves, and whether Secrets may be read. */
export interface MoreServed {
  edgeIngressApi?: ReadonlySet<string>
  secrets?: boolean
}

export type RouteResourceName = keyof typeof ROUTE_RESOURCES

/** The resources to read, given the Gateway API resources the cluster serves. */
export function servedRouteResources(gatewayApi: ReadonlySet<string>, more: MoreServed = {}): RouteResourceName[] {
  return (Object.keys(ROUTE_RESOURCES) as RouteResourceName[]).filter((name) => {
    const resource: RouteResource = ROUTE_RESOURCES[name]
    if (resource.gatewayApi !== null && !gatewayApi.has(resource.gatewayApi)) return false
    if (resource.edgeIngressApi !== undefined && !more.edgeIngressApi?.has(resource.edgeIngressApi)) return false
    return resource.secrets !== true || more.secrets === true
  })
}

/**
 * Adds apiVersion and kind to listed objects, as the compiler wants them (after `transform`).
 * Memoised per cached object: the compiler memoises validation per object identity, so an
 * unchanged object must stay the same object from one compile to the next.
 */
export function objectTyper(resource: RouteResource, transform: (o: Record<string, unknown>) => Record<string, unknown> = (o) => o) {
  const memo = new WeakMap<object, Record<string, unknown>>()
  return (objects: readonly object[]): unknown[] =>
    objects.map((object) => {
      let typed = memo.get(object)
      if (!typed) memo.set(object, (typed = transform({ ...(object as Record<string, unknown>), apiVersion: resource.apiVersion, kind: resource.kind })))
      return typed
    })
}
