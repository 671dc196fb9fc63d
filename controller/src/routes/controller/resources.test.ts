import { describe, expect, it } from 'vitest'
import { changeSignature } from './change-signature'
import { objectTyper, ROUTE_RESOURCES, servedRouteResources } from './resources'

describe('servedRouteResources', () => {
  it('reads the Gateway API resources only when the cluster serves them', () => {
    expect(servedRouteResources(new Set())).toEqual(['ingresses', 'ingressClasses', 'services', 'namespaces'])
    expect(servedRouteResources(new Set(['gateways', 'gatewayclasses', 'httproutes', 'referencegrants', 'grpcroutes']))).toHaveLength(8)
  })
})

describe('objectTyper', () => {
  it('adds apiVersion and kind and hands out the same object while the cached one is unchanged', () => {
    const typed = objectTyper(ROUTE_RESOURCES.ingresses)
    const cached = { metadata: { name: 'a', namespace: 'n' }, spec: {} }
    const [first] = typed([cached]) as Record<string, unknown>[]
    expect(first).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'a' } })
    expect(typed([cached])[0]).toBe(first)
    expect(typed([{ ...cached }])[0]).not.toBe(first)
  })
})

describe('changeSignature', () => {
  const route = (generation: number, status: unknown) => ({ metadata: { name: 'r', generation, labels: { a: 'b' } }, spec: { x: 1 }, status })
  it('ignores status-only changes of the kinds whose status we write', () => {
    expect(changeSignature('httpRoutes', route(1, { parents: [] }))).toBe(changeSignature('httpRoutes', route(1, { parents: [{ x: 1 }] })))
    expect(changeSignature('httpRoutes', route(1, {}))).not.toBe(changeSignature('httpRoutes', route(2, {})))
  })
  it('sees a Service balancer address and port change, and a namespace label change', () => {
    const svc = (ip: string) => ({ metadata: { name: 's' }, spec: { ports: [{ port: 80 }] }, status: { loadBalancer: { ingress: [{ ip }] } } })
    expect(changeSignature('services', svc('192.0.2.1'))).not.toBe(changeSignature('services', svc('192.0.2.2')))
    expect(changeSignature('namespaces', { metadata: { name: 'n', labels: { a: '1' } } })).not.toBe(changeSignature('namespaces', { metadata: { name: 'n', labels: { a: '2' } } }))
  })
})
