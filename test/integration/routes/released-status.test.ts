// Objects that stop being ours, on the real apiserver: what the route module wrote is taken
// back (found through the apiserver's record of field ownership), what another controller
// wrote is kept. An Ingress moved to another class or left without one loses our address; a
// Gateway moved to another GatewayClass loses our addresses and listeners and its
// Accepted/Programmed go back to Pending; the HTTPRoutes attached to it lose our parent entry.
import { setHeaderOptions } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kubeRequest } from '../../../controller/src/adapters/kubernetes/kube-http'
import { createKubeClients, type KubeClients } from '../../env/clients'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createTestNamespace, uniqueName } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'
import { eventually } from '../edge/support/eventually'
import { apply, gateway, httpRoute, ingress, installClasses, service, setBalancerAddress } from './support/objects'
import { counterTotal, startRouteController, type RouteController } from './support/route-controller'

const env = sharedEnvironment()
let kube: KubeClients
let controller: RouteController
let ns: string

const group = 'gateway.networking.k8s.io'
const other = { fieldManager: 'other-controller', controllerName: 'example.com/other-controller' }
interface Condition {
  type: string
  status: string
  reason: string
}
interface GatewayObject {
  spec: { gatewayClassName: string }
  status?: { conditions?: Condition[]; listeners?: { name: string }[]; addresses?: unknown[] }
}
interface RouteObject {
  status?: { parents?: { controllerName: string; parentRef: { name: string } }[] }
}

const readIngress = (name: string) => kube.networking.readNamespacedIngress({ namespace: ns, name })
const addresses = async (name: string) => (await readIngress(name)).status?.loadBalancer?.ingress ?? []
const readGateway = async (name: string) => (await kube.customObjects.getNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'gateways', name })) as GatewayObject
const readRoute = async (name: string) => (await kube.customObjects.getNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'httproutes', name })) as RouteObject
/** A status write by another controller, with its own field manager. */
const writeStatusAsOther = (path: string, status: object) =>
  kubeRequest(kube.kubeConfig, 'PATCH', `${path}/status?fieldManager=${other.fieldManager}`, { contentType: 'application/merge-patch+json', value: { status } })
const mergePatch = setHeaderOptions('Content-Type', 'application/merge-patch+json' as never)
/** Makes the module compile and write status again, then waits until it is done. */
const recompileAndSettle = async () => {
  const compiles = await counterTotal(controller.metrics, 'edge_ingress_route_compiles_total')
  await kube.core.patchNamespace({ name: ns, body: { metadata: { labels: { touched: String(Date.now()) } } } }, mergePatch)
  await eventually(() => counterTotal(controller.metrics, 'edge_ingress_route_compiles_total'), (n) => n > compiles, 'a recompile')
  await controller.module.statusIdle()
}

beforeAll(async () => {
  kube = createKubeClients(env)
  await installGatewayApiCrds(kube.kubeConfig)
  await installClasses(kube)
  ns = await createTestNamespace(kube.core, 'released')
  await apply(kube, service(ns, 'web', 80))
  await setBalancerAddress(kube, ns, 'web', 'web.elb.example.test')
  controller = await startRouteController(env, { cluster: uniqueName('released'), publicAddress: '192.0.2.10' })
})

afterAll(async () => {
  await controller?.stop()
})

describe('Ingresses that stop being ours', () => {
  it('an Ingress moved to another class loses our address; the address its new controller writes later is left alone', async () => {
    await apply(kube, ingress(ns, 'moving', `moving.${ns}.example.test`, { name: 'web', port: 80 }))
    await eventually(() => addresses('moving'), (a) => a.length === 1, 'our address on the Ingress')
    await kube.networking.patchNamespacedIngress({ namespace: ns, name: 'moving', body: { spec: { ingressClassName: 'other-class' } } }, mergePatch)
    await eventually(() => addresses('moving'), (a) => a.length === 0, 'our address taken back')
    await writeStatusAsOther(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/moving`, { loadBalancer: { ingress: [{ hostname: 'other-lb.example.net' }] } })
    await recompileAndSettle()
    expect(await addresses('moving')).toEqual([{ hostname: 'other-lb.example.net' }])
  })

  it('an Ingress that loses its class loses our address', async () => {
    await apply(kube, ingress(ns, 'classless', `classless.${ns}.example.test`, { name: 'web', port: 80 }))
    await eventually(() => addresses('classless'), (a) => a.length === 1, 'our address on the Ingress')
    await kube.networking.patchNamespacedIngress({ namespace: ns, name: 'classless', body: { spec: { ingressClassName: null } } }, mergePatch)
    await eventually(() => addresses('classless'), (a) => a.length === 0, 'our address taken back')
  })

  it('an Ingress of another class whose controller wrote an address is never touched', async () => {
    await apply(kube, ingress(ns, 'foreign', `foreign.${ns}.example.test`, { name: 'web', port: 80 }, 'other-class'))
    await writeStatusAsOther(`/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/foreign`, { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } })
    await recompileAndSettle()
    expect(await addresses('foreign')).toEqual([{ ip: '192.0.2.10' }])
  })
})

describe('a Gateway moved to another GatewayClass', () => {
  it('loses our addresses, listeners and conditions (Accepted/Programmed back to Pending); its routes lose our parent entry only; what the new controller writes stays', async () => {
    await apply(
      kube,
      gateway(ns, 'moving', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.${ns}.example.test` }]),
      httpRoute(ns, 'attached', { parentRefs: [{ name: 'moving' }], hostnames: [`attached.${ns}.example.test`], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }),
    )
    await eventually(() => readGateway('moving'), (g) => g.status?.listeners?.length === 1 && (g.status.addresses?.length ?? 0) === 1, 'our Gateway status')
    await eventually(() => readRoute('attached'), (r) => r.status?.parents?.length === 1, 'our parent entry on the route')
    // Another controller has a parent entry of its own on the route.
    const route = await readRoute('attached')
    const foreignParent = {
      parentRef: { group, kind: 'Gateway', namespace: ns, name: 'elsewhere' },
      controllerName: other.controllerName,
      conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'theirs', lastTransitionTime: new Date().toISOString() }],
    }
    await writeStatusAsOther(`/apis/${group}/v1/namespaces/${ns}/httproutes/attached`, { parents: [...route.status!.parents!, foreignParent] })

    await kube.customObjects.patchNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'gateways', name: 'moving', body: { spec: { gatewayClassName: 'other-class' } } }, mergePatch)
    const released = await eventually(() => readGateway('moving'), (g) => (g.status?.listeners?.length ?? 0) === 0, 'our listeners taken back')
    expect(released.status?.addresses ?? []).toEqual([])
    expect(Object.fromEntries(released.status!.conditions!.map((c) => [c.type, `${c.status}/${c.reason}`]))).toEqual({ Accepted: 'Unknown/Pending', Programmed: 'Unknown/Pending' })
    const parents = await eventually(() => readRoute('attached'), (r) => r.status?.parents?.length === 1, 'our parent entry taken back')
    expect(parents.status!.parents!.map((p) => p.controllerName)).toEqual([other.controllerName])

    // The new controller writes its status: it stays, and recompiling writes nothing more.
    const theirs = [{ type: 'Accepted', status: 'True', reason: 'Accepted', message: 'theirs', lastTransitionTime: new Date().toISOString() }]
    await writeStatusAsOther(`/apis/${group}/v1/namespaces/${ns}/gateways/moving`, { conditions: theirs, addresses: [{ type: 'Hostname', value: 'other.example.net' }] })
    await controller.module.statusIdle()
    const writes = await counterTotal(controller.metrics, 'edge_ingress_route_status_writes_total')
    await recompileAndSettle()
    expect(await counterTotal(controller.metrics, 'edge_ingress_route_status_writes_total')).toBe(writes)
    expect((await readGateway('moving')).status).toMatchObject({ conditions: theirs, addresses: [{ type: 'Hostname', value: 'other.example.net' }] })
  })
})
