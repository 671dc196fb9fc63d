// Status writes from compile results: only our parts, only when something changes, and
// lastTransitionTime kept while a condition's status stays.
import { describe, expect, it } from 'vitest'
import { parseManifestText } from '../../manifests/parse'
import { compileRoutes } from '../compile'
import { GATEWAY_CONTROLLER } from '../constants'
import { parsePublicAddress } from './public-address'
import { supportedVersionCondition } from './supported-version'
import { statusUpdates, type CachedObject, type CachedObjects, type StatusUpdate } from './updates'

const manifests = `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: edge-ingress, resourceVersion: "1", generation: 1}
spec: {controllerName: edge-ingress.io/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: other, resourceVersion: "1"}
spec: {controllerName: example.com/other}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: edge-ingress}
spec: {controller: edge-ingress.io/ingress-controller}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {ports: [{port: 80}]}
status: {loadBalancer: {ingress: [{hostname: web.elb.example.net}]}}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: edge, namespace: shop, resourceVersion: "5", generation: 3}
spec:
  gatewayClassName: edge-ingress
  listeners: [{name: http, protocol: HTTP, port: 80, hostname: "*.example.com"}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: shop, resourceVersion: "7", generation: 2}
spec:
  parentRefs: [{name: edge}, {name: elsewhere, namespace: shop, group: example.com, kind: Proxy}]
  hostnames: [shop.example.com]
  rules: [{backendRefs: [{name: web, port: 80}]}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: lost, namespace: shop, resourceVersion: "8", generation: 1}
spec:
  parentRefs: [{name: edge}]
  hostnames: [other.org]
  rules: [{backendRefs: [{name: missing, port: 80}]}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site, namespace: shop, resourceVersion: "9", generation: 1}
spec:
  ingressClassName: edge-ingress
  rules: [{host: site.example.org, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`

async function setup(text = manifests) {
  const objects = parseManifestText(text, 'test.yaml').objects.map((o) => o.object as unknown as CachedObject & { kind: string })
  const result = await compileRoutes(objects, { clusterName: 'test' })
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind)
  const cached: CachedObjects = { ingresses: byKind('Ingress'), gatewayClasses: byKind('GatewayClass'), gateways: byKind('Gateway'), httpRoutes: byKind('HTTPRoute') }
  return { objects, result, cached }
}

const options = { publicAddress: parsePublicAddress('edge.example.net'), supportedVersion: supportedVersionCondition('v1.6.1'), now: '2026-01-01T00:00:00.000Z' }
const find = (updates: StatusUpdate[], kind: string, name: string) => updates.find((u) => u.kind === kind && u.name === name)

/** The cache after our writes came back through the watch. */
function applied(cached: CachedObjects, updates: StatusUpdate[]): CachedObjects {
  const apply = (objects: readonly CachedObject[], kind: string) =>
    objects.map((o) => {
      const u = updates.find((x) => x.kind === kind && x.name === o.metadata.name && x.namespace === (o.metadata.namespace ?? ''))
      return u ? { ...o, metadata: { ...o.metadata, resourceVersion: `${o.metadata.resourceVersion}0` }, status: { ...(o.status as object), ...u.status } } : o
    })
  return { ingresses: apply(cached.ingresses, 'Ingress'), gatewayClasses: apply(cached.gatewayClasses, 'GatewayClass'), gateways: apply(cached.gateways, 'Gateway'), httpRoutes: apply(cached.httpRoutes, 'HTTPRoute') }
}

describe('statusUpdates', () => {
  it('writes GatewayClass Accepted and SupportedVersion for our class only, with the resourceVersion it read', async () => {
    const { result, cached } = await setup()
    const updates = statusUpdates(result, cached, options)
    expect(find(updates, 'GatewayClass', 'other')).toBeUndefined()
    const ours = find(updates, 'GatewayClass', 'edge-ingress')!
    expect(ours.resourceVersion).toBe('1')
    expect(ours.status.conditions).toEqual([
      expect.objectContaining({ type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 1, lastTransitionTime: options.now }),
      expect.objectContaining({ type: 'SupportedVersion', status: 'True', reason: 'SupportedVersion', observedGeneration: 1 }),
    ])
  })

  it('writes Gateway conditions, listener conditions, attachedRoutes and the public address', async () => {
    const { result, cached } = await setup()
    const gateway = find(statusUpdates(result, cached, options), 'Gateway', 'edge')!
    expect(gateway.status.addresses).toEqual([{ type: 'Hostname', value: 'edge.example.net' }])
    expect(gateway.status.conditions).toEqual([
      expect.objectContaining({ type: 'Accepted', status: 'True', observedGeneration: 3 }),
      expect.objectContaining({ type: 'Programmed', status: 'True', observedGeneration: 3 }),
    ])
    const [listener] = gateway.status.listeners as { name: string; attachedRoutes: number; supportedKinds: unknown; conditions: { type: string; status: string }[] }[]
    expect(listener!.name).toBe('http')
    expect(listener!.attachedRoutes).toBe(1) // `lost` does not match the listener hostname
    expect(listener!.supportedKinds).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute' }])
    expect(listener!.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['Accepted=True', 'Programmed=True', 'ResolvedRefs=True', 'Conflicted=False'])
  })

  it('writes HTTPRoute parents with the spec reasons and observedGeneration, one per parent of ours', async () => {
    const { result, cached } = await setup()
    const updates = statusUpdates(result, cached, options)
    const shop = find(updates, 'HTTPRoute', 'shop')!
    expect(shop.status.parents).toEqual([
      {
        parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'shop', name: 'edge' },
        controllerName: GATEWAY_CONTROLLER,
        conditions: [
          expect.objectContaining({ type: 'Accepted', status: 'True', reason: 'Accepted', observedGeneration: 2 }),
          expect.objectContaining({ type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', observedGeneration: 2 }),
        ],
      },
    ])
    const lost = find(updates, 'HTTPRoute', 'lost')!
    const conditions = (lost.status.parents as { conditions: { type: string; status: string; reason: string }[] }[])[0]!.conditions
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Accepted', 'False', 'NoMatchingListenerHostname'],
      ['ResolvedRefs', 'False', 'BackendNotFound'],
    ])
  })

  it('keeps the parents entries of other controllers and removes ours that no longer apply', async () => {
    const { result, cached } = await setup()
    const foreign = { parentRef: { name: 'elsewhere', group: 'example.com', kind: 'Proxy' }, controllerName: 'example.com/proxy', conditions: [] }
    const stale = { parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'shop', name: 'gone' }, controllerName: GATEWAY_CONTROLLER, conditions: [] }
    const withStatus = {
      ...cached,
      httpRoutes: cached.httpRoutes.map((r) => (r.metadata.name === 'shop' ? { ...r, status: { parents: [foreign, stale] } } : r)),
    }
    const parents = find(statusUpdates(result, withStatus, options), 'HTTPRoute', 'shop')!.status.parents as { controllerName: string }[]
    expect(parents[0]).toEqual(foreign)
    expect(parents.slice(1).map((p) => p.controllerName)).toEqual([GATEWAY_CONTROLLER])
    expect(parents).toHaveLength(2)
  })

  it('clears our entries from a route that no longer names our Gateways, and leaves routes that never did alone', async () => {
    const { result, cached } = await setup()
    const ours = { parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'shop', name: 'edge' }, controllerName: GATEWAY_CONTROLLER, conditions: [] }
    const foreignOnly = { parentRef: { name: 'x' }, controllerName: 'example.com/proxy', conditions: [] }
    const extra: CachedObject[] = [
      { metadata: { name: 'moved', namespace: 'shop', resourceVersion: '3' }, status: { parents: [ours, foreignOnly] } },
      { metadata: { name: 'theirs', namespace: 'shop', resourceVersion: '4' }, status: { parents: [foreignOnly] } },
    ]
    const updates = statusUpdates(result, { ...cached, httpRoutes: [...cached.httpRoutes, ...extra] }, options)
    expect(find(updates, 'HTTPRoute', 'moved')!.status).toEqual({ parents: [foreignOnly] })
    expect(find(updates, 'HTTPRoute', 'theirs')).toBeUndefined()
  })

  it('sets the Ingress address as a merge patch of status.loadBalancer, and nothing without --public-address', async () => {
    const { result, cached } = await setup()
    expect(find(statusUpdates(result, cached, options), 'Ingress', 'site')!.status).toEqual({ loadBalancer: { ingress: [{ hostname: 'edge.example.net' }] } })
    const ip = statusUpdates(result, cached, { ...options, publicAddress: parsePublicAddress('192.0.2.10') })
    expect(find(ip, 'Ingress', 'site')!.status).toEqual({ loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } })
    const none = statusUpdates(result, cached, { ...options, publicAddress: null })
    expect(find(none, 'Ingress', 'site')).toBeUndefined()
    expect(find(none, 'Gateway', 'edge')!.status.addresses).toBeUndefined()
  })

  it('writes nothing once the status is what it should be, and keeps lastTransitionTime while a status stays', async () => {
    const { result, cached } = await setup()
    const first = statusUpdates(result, cached, options)
    const after = applied(cached, first)
    expect(statusUpdates(result, after, { ...options, now: '2026-02-02T00:00:00.000Z' })).toEqual([])

    // The same route, now with its backend found: ResolvedRefs flips (new time), Accepted stays False (old time).
    const fixed = manifests.replace('name: missing, port: 80', 'name: web, port: 80')
    const again = await setup(fixed)
    const later = '2026-03-03T00:00:00.000Z'
    const flipped = statusUpdates(again.result, { ...again.cached, httpRoutes: after.httpRoutes }, { ...options, now: later })
    const conditions = (find(flipped, 'HTTPRoute', 'lost')!.status.parents as { conditions: { type: string; lastTransitionTime: string }[] }[])[0]!.conditions
    expect(conditions.find((c) => c.type === 'Accepted')!.lastTransitionTime).toBe(options.now)
    expect(conditions.find((c) => c.type === 'ResolvedRefs')!.lastTransitionTime).toBe(later)
  })
})

describe('supportedVersionCondition', () => {
  it('accepts v1.x bundles, refuses others, and says nothing when the version is unknown', () => {
    expect(supportedVersionCondition('v1.6.1')).toMatchObject({ status: 'True', reason: 'SupportedVersion' })
    expect(supportedVersionCondition('v1.2.0')).toMatchObject({ status: 'True' })
    expect(supportedVersionCondition('v2.0.0')).toMatchObject({ status: 'False', reason: 'UnsupportedVersion' })
    expect(supportedVersionCondition('v0.8.1')).toMatchObject({ status: 'False', reason: 'UnsupportedVersion' })
    expect(supportedVersionCondition(null)).toBeNull()
  })
})

describe('parsePublicAddress', () => {
  it('tells IPs from hostnames and refuses anything else', () => {
    expect(parsePublicAddress('2001:db8::1').gateway).toEqual({ type: 'IPAddress', value: '2001:db8::1' })
    expect(parsePublicAddress('Edge.Example.NET.').ingress).toEqual({ hostname: 'edge.example.net' })
    expect(() => parsePublicAddress('http://edge')).toThrow(/neither an IP address nor a DNS name/)
  })
})
