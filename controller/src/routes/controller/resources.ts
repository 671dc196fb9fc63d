// The collections the route compiler reads from a live cluster, with the apiVersion and kind
// that list items lack (the apiserver leaves them out of list responses for built-in kinds).
// Gateway API ones are read only when the cluster serves them.

export interface RouteResource {
  /** Collection path for list + watch. */
  path: string
  apiVersion: string
  kind: string
  /** Plural name under gateway.networking.k8s.io/v1, or null for built-in kinds. */
  gatewayApi: string | null
}

const GATEWAY_V1 = 'gateway.networking.k8s.io/v1'

export const ROUTE_RESOURCES = {
  ingresses: { path: '/apis/networking.k8s.io/v1/ingresses', apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', gatewayApi: null },
  ingressClasses: { path: '/apis/networking.k8s.io/v1/ingressclasses', apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', gatewayApi: null },
  services: { path: '/api/v1/services', apiVersion: 'v1', kind: 'Service', gatewayApi: null },
  namespaces: { path: '/api/v1/namespaces', apiVersion: 'v1', kind: 'Namespace', gatewayApi: null },
  gatewayClasses: { path: `/apis/${GATEWAY_V1}/gatewayclasses`, apiVersion: GATEWAY_V1, kind: 'GatewayClass', gatewayApi: 'gatewayclasses' },
  gateways: { path: `/apis/${GATEWAY_V1}/gateways`, apiVersion: GATEWAY_V1, kind: 'Gateway', gatewayApi: 'gateways' },
  httpRoutes: { path: `/apis/${GATEWAY_V1}/httproutes`, apiVersion: GATEWAY_V1, kind: 'HTTPRoute', gatewayApi: 'httproutes' },
  referenceGrants: { path: `/apis/${GATEWAY_V1}/referencegrants`, apiVersion: GATEWAY_V1, kind: 'ReferenceGrant', gatewayApi: 'referencegrants' },
} as const satisfies Record<string, RouteResource>

export type RouteResourceName = keyof typeof ROUTE_RESOURCES

/** The resources to read, given the Gateway API resources the cluster serves. */
export function servedRouteResources(gatewayApi: ReadonlySet<string>): RouteResourceName[] {
  return (Object.keys(ROUTE_RESOURCES) as RouteResourceName[]).filter((name) => {
    const plural = ROUTE_RESOURCES[name].gatewayApi
    return plural === null || gatewayApi.has(plural)
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
