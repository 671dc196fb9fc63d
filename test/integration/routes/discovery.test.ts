// `edge-ingress controller` (both halves, the real CLI process) against an API server that
// cannot be reached at first and serves no Gateway API: it stays up, says why it is not ready,
// becomes ready once the API server answers, and starts reading the Gateway API and EdgePolicy
// CRDs installed while it runs, without a restart. An environment of its own: the shared one
// has the CRDs installed already.
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKubeClients, type KubeClients } from '../../env/clients'
import { startEnvironment, type TestEnvironment } from '../../env/environment'
import { installEdgeIngressCrds } from '../../env/fixtures/edge-crds'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createTestNamespace, uniqueName } from '../../env/fixtures/names'
import { freePort, loopback } from '../../env/ports'
import { startCliController, type CliController } from '../controller/support/cli-controller'
import { eventually } from '../edge/support/eventually'
import { TcpForwarder } from '../support/tcp-forwarder'
import { apply, gateway, httpRoute, ingress, installClasses, service, setBalancerAddress } from './support/objects'

let environment: TestEnvironment
let forwarder: TcpForwarder
let controller: CliController
let routeTableUrl: string
let kube: KubeClients

const waitFor = <T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 30_000) => eventually(probe, ok, what, timeoutMs / 100, 100)
const get = async (url: string) => {
  const response = await fetch(url)
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}
const hostnames = async () => {
  const response = await fetch(routeTableUrl)
  return response.status === 200 ? ((await response.json()) as { hosts: { hostname: string }[] }).hosts.map((h) => h.hostname) : []
}

beforeAll(async () => {
  environment = await startEnvironment({ name: 'routes-discovery' })
  kube = createKubeClients(environment.info)
  const apiserver = new URL(environment.info.kubeApiServerUrl)
  forwarder = new TcpForwarder(await freePort(), { host: apiserver.hostname, port: Number(apiserver.port) })
  const kubeconfig = join(environment.info.workDir, 'forwarded-kubeconfig')
  await writeFile(kubeconfig, readFileSync(environment.info.kubeconfigPath, 'utf8').replace(environment.info.kubeApiServerUrl, `https://${loopback}:${forwarder.port}`))
  const routeTablePort = await freePort()
  routeTableUrl = `http://${loopback}:${routeTablePort}/v1/route-table`
  controller = await startCliController(environment.info, {
    cluster: uniqueName('discovery'),
    routes: true,
    args: ['--kubeconfig', kubeconfig, '--route-table-address', `${loopback}:${routeTablePort}`, '--api-discovery-interval', '1s', '--public-address', '192.0.2.10'],
  })
})

afterAll(async () => {
  await controller?.stop()
  await forwarder?.close()
  await environment?.stop()
})

describe('an API server that cannot be reached at start', () => {
  it('keeps the controller running with both halves: /readyz 503 saying why, /healthz 200, discovery retried with backoff', async () => {
    const retries = () => controller.logLines().filter((l) => l.msg.startsWith('cannot reach the API server to discover'))
    await waitFor(async () => retries().length, (n) => n >= 3, 'three discovery attempts')
    expect(controller.process.hasExited()).toBe(false)
    expect(retries()[0]).toMatchObject({ level: 40, err: expect.stringContaining('fetch failed') })
    const delays = retries().map((l) => l.retryInMs as number)
    expect(delays[2]).toBeGreaterThan(delays[0]!)
    const ready = await get(`${controller.adminUrl}/readyz`)
    expect(ready.status).toBe(503)
    expect(ready.body.checks).toEqual({ caches: expect.stringMatching(/^discovering the resources the API server serves; caches not synced: .*\/api\/v1\/services/) })
    expect((await get(`${controller.adminUrl}/healthz`)).status).toBe(200)
    expect((await fetch(routeTableUrl)).status).toBe(503)
  })

  it('loads no AWS SDK warning into the log (the CLI opts out of its Node.js version notice)', () => {
    expect(readFileSync(controller.process.logPath, 'utf8')).not.toContain('NodeVersionSupportWarning')
  })

  it('becomes ready and routes Ingresses once the API server answers', async () => {
    const ns = await createTestNamespace(kube.core, 'discovery')
    // The IngressClass alone: the GatewayClass needs the Gateway API CRDs, installed later.
    await apply(kube, { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'edge-ingress' }, spec: { controller: 'edge-ingress.io/ingress-controller' } })
    await apply(kube, service(ns, 'web', 80), ingress(ns, 'shop', `shop.${ns}.example.test`, { name: 'web', port: 80 }))
    await setBalancerAddress(kube, ns, 'web', 'web.elb.example.test')
    await forwarder.open()
    await waitFor(() => get(`${controller.adminUrl}/readyz`), (r) => r.status === 200, '/readyz 200')
    await waitFor(hostnames, (h) => h.includes(`shop.${ns}.example.test`), 'the Ingress in the published table')
    expect(controller.logLines().some((l) => l.msg.startsWith('the Gateway API (gateway.networking.k8s.io/v1) is not served'))).toBe(true)
  })
})

describe('CRDs installed while the controller runs', () => {
  it('reads the Gateway API and EdgePolicies without a restart: HTTPRoutes routed with their policy, status written', async () => {
    const ns = await createTestNamespace(kube.core, 'late-crds')
    await installGatewayApiCrds(kube.kubeConfig)
    await installEdgeIngressCrds(kube.kubeConfig)
    await installClasses(kube)
    await apply(
      kube,
      service(ns, 'api', 80),
      gateway(ns, 'edge', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.${ns}.example.test` }]),
      { apiVersion: 'edge-ingress.io/v1alpha1', kind: 'EdgePolicy', metadata: { namespace: ns, name: 'small' }, spec: { maxRequestBodyBytes: 1024 } },
      {
        ...httpRoute(ns, 'api', { parentRefs: [{ name: 'edge' }], hostnames: [`api.${ns}.example.test`], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] }),
        metadata: { namespace: ns, name: 'api', annotations: { 'edge-ingress.io/policy': 'small' } },
      },
    )
    await setBalancerAddress(kube, ns, 'api', 'api.elb.example.test')
    const table = await waitFor(
      async () => (await fetch(routeTableUrl)).json() as Promise<{ hosts: { hostname: string; routes: { action: { filters?: { type: string }[] } }[] }[] }>,
      (t) => t.hosts.some((h) => h.hostname === `api.${ns}.example.test` && (h.routes[0]?.action.filters ?? []).some((f) => f.type === 'RequestBodyLimit')),
      'the HTTPRoute with its EdgePolicy in the published table',
    )
    expect(table.hosts.map((h) => h.hostname)).toContain(`api.${ns}.example.test`)
    const added = controller.logLines().filter((l) => l.msg === 'the API server now serves more resources to route; reading them').flatMap((l) => l.resources as string[])
    expect(added).toEqual(expect.arrayContaining(['gatewayClasses', 'gateways', 'httpRoutes', 'referenceGrants', 'edgePolicies']))
    const group = 'gateway.networking.k8s.io'
    const route = await waitFor(
      async () => (await kube.customObjects.getNamespacedCustomObject({ group, version: 'v1', namespace: ns, plural: 'httproutes', name: 'api' })) as { status?: { parents?: { conditions: { type: string; status: string }[] }[] } },
      (r) => (r.status?.parents?.length ?? 0) === 1,
      'the route status',
    )
    expect(route.status!.parents![0]!.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(expect.arrayContaining(['Accepted=True', 'ResolvedRefs=True']))
    const cls = await waitFor(
      async () => (await kube.customObjects.getClusterCustomObject({ group, version: 'v1', plural: 'gatewayclasses', name: 'edge-ingress' })) as { status?: { conditions?: { type: string; status: string }[] } },
      (c) => (c.status?.conditions ?? []).some((x) => x.type === 'SupportedVersion'),
      'GatewayClass SupportedVersion from the CRDs installed later',
    )
    expect(cls.status!.conditions!.find((c) => c.type === 'SupportedVersion')!.status).toBe('True')
  })
})
