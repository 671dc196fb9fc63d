// Two replicas of the route module with leader election on a real Lease: both compile and
// serve the same revision on their HTTP endpoints (edges may pull from either), only the
// leader writes status; when it stops, the other takes over the status writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKubeClients, type KubeClients } from '../../env/clients'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createTestNamespace, uniqueName } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'
import { eventually } from '../edge/support/eventually'
import { apply, gateway, httpRoute, installClasses, service, setBalancerAddress } from './support/objects'
import { counterTotal, startRouteController, type RouteController } from './support/route-controller'

const env = sharedEnvironment()
let kube: KubeClients
let ns: string
const replicas: RouteController[] = []

const revisionOf = async (c: RouteController) => (await fetch(c.endpoint.name)).headers.get('etag')
const routeStatus = async (name: string) =>
  ((await kube.customObjects.getNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace: ns, plural: 'httproutes', name })) as { status?: { parents?: { conditions: { type: string; status: string }[] }[] } }).status?.parents ?? []

beforeAll(async () => {
  kube = createKubeClients(env)
  await installGatewayApiCrds(kube.kubeConfig)
  await installClasses(kube)
  ns = await createTestNamespace(kube.core, 'replicas')
  await apply(kube, service(ns, 'web', 80), gateway(ns, 'edge', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.${ns}.example.test` }]))
  await setBalancerAddress(kube, ns, 'web', 'web.elb.example.test')
  const cluster = uniqueName('replicas')
  for (const identity of ['one', 'two']) {
    replicas.push(await startRouteController(env, { cluster, leaderElection: { namespace: ns, name: 'routes-leader', identity, leaseDurationMs: 3_000 } }))
  }
})
afterAll(async () => {
  for (const r of replicas) await r.stop()
})

describe('replicas', () => {
  it('serve the same revision from both endpoints; only the leader writes status', async () => {
    await eventually(async () => replicas.filter((r) => r.manager.isLeader).length, (n) => n === 1, 'one leader')
    await apply(kube, httpRoute(ns, 'shop', { parentRefs: [{ name: 'edge' }], hostnames: [`shop.${ns}.example.test`], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }))
    await eventually(() => routeStatus('shop'), (p) => p.length === 1, 'status on the route')
    const [a, b] = await eventually(async () => Promise.all(replicas.map(revisionOf)), ([x, y]) => x !== null && x === y, 'the same ETag on both endpoints')
    const table = (await (await fetch(replicas[1]!.endpoint.name)).json()) as { revision: string; hosts: { hostname: string }[] }
    expect(`"${table.revision}"`).toBe(a)
    expect(b).toBe(a)
    expect(table.hosts.map((h) => h.hostname)).toContain(`shop.${ns}.example.test`)
    const leader = replicas.find((r) => r.manager.isLeader)!
    const follower = replicas.find((r) => !r.manager.isLeader)!
    expect(await counterTotal(follower.metrics, 'edge_ingress_route_status_writes_total')).toBe(0)
    expect(await counterTotal(leader.metrics, 'edge_ingress_route_status_writes_total')).toBeGreaterThan(0)
  })

  it('hands the status writes to the other replica when the leader stops', async () => {
    const leader = replicas.find((r) => r.manager.isLeader)!
    const follower = replicas.find((r) => r !== leader)!
    await leader.stop()
    replicas.splice(replicas.indexOf(leader), 1)
    await eventually(async () => follower.manager.isLeader, Boolean, 'the follower to lead', 600)
    await apply(kube, httpRoute(ns, 'late', { parentRefs: [{ name: 'edge' }], hostnames: [`late.${ns}.example.test`], rules: [{ backendRefs: [{ name: 'missing', port: 80 }] }] }))
    const parents = await eventually(() => routeStatus('late'), (p) => p.length === 1, 'status written by the new leader')
    expect(parents[0]!.conditions.find((c) => c.type === 'ResolvedRefs')!.status).toBe('False')
    expect(await counterTotal(follower.metrics, 'edge_ingress_route_status_writes_total')).toBeGreaterThan(0)
  })
})
