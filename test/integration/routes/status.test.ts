// The route module against the real kube-apiserver: the status users see on GatewayClass,
// Gateway, HTTPRoute and Ingress (the Gateway API reasons, ours for a Service without a
// balancer), conflicts (oldest wins, Event + condition on the loser), observedGeneration, and
// no write when nothing changed. The L4 half is not running here: the tests set Service
// balancer addresses themselves (test/e2e runs both halves).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKubeClients, type KubeClients } from '../../env/clients'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createTestNamespace, uniqueName } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'
import { eventually } from '../edge/support/eventually'
import { apply, gateway, httpRoute, ingress, installClasses, nextSecond, service, setBalancerAddress } from './support/objects'
import { counterTotal, startRouteController, type RouteController } from './support/route-controller'

const env = sharedEnvironment()
let kube: KubeClients
let controller: RouteController
let ns: string
let other: string

interface Condition {
  type: string
  status: string
  reason: string
  message: string
  observedGeneration?: number
  lastTransitionTime: string
}
interface ParentStatus {
  parentRef: { name: string }
  controllerName: string
  conditions: Condition[]
}

const group = 'gateway.networking.k8s.io'
const getCustom = async (plural: string, namespace: string, name: string) =>
  (await kube.customObjects.getNamespacedCustomObject({ group, version: 'v1', namespace, plural, name })) as {
    metadata: { resourceVersion: string; generation: number }
    status?: { parents?: ParentStatus[]; conditions?: Condition[]; listeners?: { name: string; attachedRoutes: number; conditions: Condition[] }[]; addresses?: unknown[] }
  }
const routeConditions = async (name: string, namespace = ns) => {
  const route = await getCustom('httproutes', namespace, name)
  return (route.status?.parents ?? []).filter((p) => p.controllerName === 'edge-ingress.io/gateway-controller').flatMap((p) => p.conditions)
}
const reasons = (conditions: Condition[]) => Object.fromEntries(conditions.map((c) => [c.type, `${c.status}/${c.reason}`]))
const route = (name: string, hostname: string, backend: object, namespace = ns) =>
  httpRoute(namespace, name, { parentRefs: [{ name: 'edge', namespace: ns }], hostnames: [hostname], rules: [{ backendRefs: [backend] }] })

beforeAll(async () => {
  kube = createKubeClients(env)
  await installGatewayApiCrds(kube.kubeConfig)
  await installClasses(kube)
  ns = await createTestNamespace(kube.core, 'routes')
  other = await createTestNamespace(kube.core, 'routes-other')
  await apply(kube, service(ns, 'web', 80), service(ns, 'pending', 80), service(other, 'remote', 80))
  await setBalancerAddress(kube, ns, 'web', 'web.elb.example.test')
  await setBalancerAddress(kube, other, 'remote', 'remote.elb.example.test')
  await apply(kube, gateway(ns, 'edge', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.${ns}.example.test` }]))
  controller = await startRouteController(env, { cluster: uniqueName('routes'), publicAddress: '192.0.2.10' })
})

afterAll(async () => {
  await controller?.stop()
})

describe('route status on the real apiserver', () => {
  it('accepts our GatewayClass with SupportedVersion from the installed CRDs, and the Gateway with its listener and the public address', async () => {
    const cls = await eventually(
      async () => (await kube.customObjects.getClusterCustomObject({ group, version: 'v1', plural: 'gatewayclasses', name: 'edge-ingress' })) as { status?: { conditions?: Condition[] } },
      (c) => reasons(c.status?.conditions ?? []).SupportedVersion !== undefined,
      'GatewayClass status',
    )
    expect(reasons(cls.status!.conditions!)).toMatchObject({ Accepted: 'True/Accepted', SupportedVersion: 'True/SupportedVersion' })
    expect(cls.status!.conditions!.find((c) => c.type === 'SupportedVersion')!.message).toMatch(/v1\.6\.1/)

    await apply(kube, route('good', `shop.${ns}.example.test`, { name: 'web', port: 80 }))
    const gw = await eventually(() => getCustom('gateways', ns, 'edge'), (g) => g.status?.listeners?.[0]?.attachedRoutes === 1, 'Gateway status with one attached route')
    expect(reasons(gw.status!.conditions!)).toMatchObject({ Accepted: 'True/Accepted', Programmed: 'True/Programmed' })
    expect(gw.status!.addresses).toEqual([{ type: 'IPAddress', value: '192.0.2.10' }])
    expect(reasons(gw.status!.listeners![0]!.conditions)).toMatchObject({ Accepted: 'True/Accepted', Programmed: 'True/Programmed', ResolvedRefs: 'True/ResolvedRefs', Conflicted: 'False/NoConflicts' })
    expect(gw.status!.conditions!.every((c) => c.observedGeneration === gw.metadata.generation)).toBe(true)
  })

  it('gives each HTTPRoute parent the spec reasons for what went wrong, with observedGeneration', async () => {
    await apply(
      kube,
      route('wrong-host', 'shop.other.org', { name: 'web', port: 80 }),
      route('no-backend', `missing.${ns}.example.test`, { name: 'nothing-here', port: 80 }),
      route('not-ready', `pending.${ns}.example.test`, { name: 'pending', port: 80 }),
      route('cross-ns', `remote.${ns}.example.test`, { name: 'remote', namespace: other, port: 80 }),
      route('bad-kind', `kind.${ns}.example.test`, { group: '', kind: 'ConfigMap', name: 'web', port: 80 }),
      route('outsider', `out.${ns}.example.test`, { name: 'remote', port: 80 }, other),
      httpRoute(ns, 'regex-path', {
        parentRefs: [{ name: 'edge' }],
        hostnames: [`regex.${ns}.example.test`],
        rules: [{ matches: [{ path: { type: 'RegularExpression', value: '/v[0-9]+' } }], backendRefs: [{ name: 'web', port: 80 }] }],
      }),
    )
    const expected: Record<string, Record<string, string>> = {
      good: { Accepted: 'True/Accepted', ResolvedRefs: 'True/ResolvedRefs' },
      'wrong-host': { Accepted: 'False/NoMatchingListenerHostname' },
      'no-backend': { Accepted: 'True/Accepted', ResolvedRefs: 'False/BackendNotFound' },
      'not-ready': { Accepted: 'True/Accepted', ResolvedRefs: 'False/BackendNotReady' },
      'cross-ns': { Accepted: 'True/Accepted', ResolvedRefs: 'False/RefNotPermitted' },
      'bad-kind': { Accepted: 'True/Accepted', ResolvedRefs: 'False/InvalidKind' },
      'regex-path': { Accepted: 'False/UnsupportedValue' },
    }
    for (const [name, want] of Object.entries(expected)) {
      const conditions = await eventually(() => routeConditions(name), (c) => Object.entries(want).every(([t, v]) => reasons(c)[t] === v), `HTTPRoute ${name}: ${JSON.stringify(want)}`)
      expect(conditions.every((c) => c.observedGeneration === 1)).toBe(true)
    }
    const outsider = await eventually(() => routeConditions('outsider', other), (c) => c.length > 0, 'HTTPRoute outsider status')
    expect(reasons(outsider).Accepted).toBe('False/NotAllowedByListeners')
    expect(outsider.find((c) => c.type === 'Accepted')!.message).toMatch(/no listener of Gateway .* allows this route/)
    expect((await routeConditions('not-ready')).find((c) => c.type === 'ResolvedRefs')!.message).toMatch(/no L4 balancer address yet/)
  })

  it('follows the cluster: a ReferenceGrant resolves the cross-namespace backend, a balancer address the pending one, a spec change the generation', async () => {
    await apply(kube, {
      apiVersion: `${group}/v1`,
      kind: 'ReferenceGrant',
      metadata: { namespace: other, name: 'allow-routes' },
      spec: { from: [{ group, kind: 'HTTPRoute', namespace: ns }], to: [{ group: '', kind: 'Service' }] },
    })
    await eventually(() => routeConditions('cross-ns'), (c) => reasons(c).ResolvedRefs === 'True/ResolvedRefs', 'cross-ns resolved by the ReferenceGrant')
    await setBalancerAddress(kube, ns, 'pending', 'pending.elb.example.test')
    await eventually(() => routeConditions('not-ready'), (c) => reasons(c).ResolvedRefs === 'True/ResolvedRefs', 'not-ready resolved once the Service has a balancer')
    await apply(kube, route('wrong-host', `fixed.${ns}.example.test`, { name: 'web', port: 80 }))
    const fixed = await eventually(() => routeConditions('wrong-host'), (c) => reasons(c).Accepted === 'True/Accepted', 'wrong-host accepted after its hostname changed')
    expect(fixed.every((c) => c.observedGeneration === 2)).toBe(true)
    // Accepted: good, wrong-host (now), no-backend, not-ready, cross-ns, bad-kind; not regex-path (no rule left) nor outsider.
    await eventually(() => getCustom('gateways', ns, 'edge'), (g) => g.status?.listeners?.[0]?.attachedRoutes === 6, 'six routes attached to the listener')
    const table = await (await fetch(controller.endpoint.name)).json()
    const hosts = (table as { hosts: { hostname: string }[] }).hosts.map((h) => h.hostname)
    expect(hosts).toEqual(expect.arrayContaining([`shop.${ns}.example.test`, `fixed.${ns}.example.test`, `remote.${ns}.example.test`]))
  })

  it('resolves a conflict for the oldest route, with a Conflicted condition and a RouteConflict Event on the newer one', async () => {
    const host = `same.${ns}.example.test`
    // b-older is created a second before a-newer: age must win over the alphabetical order.
    await apply(kube, route('b-older', host, { name: 'web', port: 80 }))
    await nextSecond()
    await apply(kube, route('a-newer', host, { name: 'pending', port: 80 }))
    const loser = await eventually(() => routeConditions('a-newer'), (c) => reasons(c).Conflicted !== undefined, 'a Conflicted condition on the newer route')
    expect(reasons(loser)).toMatchObject({ Accepted: 'True/Accepted', Conflicted: 'True/RouteConflict' })
    expect(loser.find((c) => c.type === 'Conflicted')!.message).toMatch(/b-older, which is older/)
    expect(reasons(await routeConditions('b-older')).Conflicted).toBeUndefined()
    const events = await eventually(
      () => kube.events.listNamespacedEvent({ namespace: ns }),
      (list) => list.items.some((e) => e.regarding?.name === 'a-newer' && e.reason === 'RouteConflict'),
      'a RouteConflict Event on a-newer',
    )
    const event = events.items.find((e) => e.regarding?.name === 'a-newer' && e.reason === 'RouteConflict')!
    expect(event.type).toBe('Warning')
    expect(event.regarding?.kind).toBe('HTTPRoute')
    const table = (await (await fetch(controller.endpoint.name)).json()) as { hosts: { hostname: string; routes: { source: { name: string } }[] }[] }
    expect(table.hosts.find((h) => h.hostname === host)!.routes.map((r) => r.source.name)).toEqual(['b-older'])
  })

  it('sets the public address on our Ingresses only, and reports an Ingress backend problem as an Event', async () => {
    await apply(kube, ingress(ns, 'site', `site.${ns}.example.test`, { name: 'web', port: 80 }), ingress(ns, 'foreign', `foreign.${ns}.example.test`, { name: 'web', port: 80 }, 'someone-else'))
    await apply(kube, ingress(ns, 'broken', `broken.${ns}.example.test`, { name: 'missing', port: 80 }))
    const site = await eventually(() => kube.networking.readNamespacedIngress({ namespace: ns, name: 'site' }), (i) => (i.status?.loadBalancer?.ingress?.length ?? 0) > 0, 'Ingress address')
    expect(site.status!.loadBalancer!.ingress).toEqual([{ ip: '192.0.2.10' }])
    await eventually(
      () => kube.events.listNamespacedEvent({ namespace: ns }),
      (list) => list.items.some((e) => e.regarding?.name === 'broken' && e.reason === 'BackendNotFound' && /Service .*missing not found/.test(e.note ?? '')),
      'a BackendNotFound Event on the broken Ingress',
    )
    const foreign = await kube.networking.readNamespacedIngress({ namespace: ns, name: 'foreign' })
    expect(foreign.status?.loadBalancer?.ingress ?? []).toEqual([])
  })

  it('writes no status when nothing changed, however often it recompiles', async () => {
    await controller.module.statusIdle()
    const names = ['good', 'wrong-host', 'no-backend', 'cross-ns', 'a-newer', 'b-older']
    const versions = async () => Promise.all(names.map(async (n) => (await getCustom('httproutes', ns, n)).metadata.resourceVersion))
    const before = await versions()
    const writes = await counterTotal(controller.metrics, 'edge_ingress_route_status_writes_total')
    const compiles = await counterTotal(controller.metrics, 'edge_ingress_route_compiles_total')
    const publishes = await counterTotal(controller.metrics, 'edge_ingress_route_table_publishes_total')
    // A change the compiler reads but that changes no route: a label on the namespace.
    await kube.core.patchNamespace({ name: ns, body: { metadata: { labels: { touched: String(Date.now()) } } } }, (await import('@kubernetes/client-node')).setHeaderOptions('Content-Type', 'application/merge-patch+json' as never))
    await eventually(() => counterTotal(controller.metrics, 'edge_ingress_route_compiles_total'), (n) => n > compiles, 'a recompile')
    await controller.module.statusIdle()
    expect(await counterTotal(controller.metrics, 'edge_ingress_route_status_writes_total')).toBe(writes)
    expect(await counterTotal(controller.metrics, 'edge_ingress_route_table_publishes_total')).toBe(publishes)
    expect(await versions()).toEqual(before)
  })
})
