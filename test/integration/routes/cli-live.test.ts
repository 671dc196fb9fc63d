// `edge-ingress routes check` and `routes explain` against a live cluster (--kubeconfig): the
// real CLI in a child process reads the objects through the API and compiles them as the
// controller would, with the cluster's own classes and balancer addresses.
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../support/run-cli'
import { createKubeClients, type KubeClients } from '../../env/clients'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createTestNamespace } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'
import { apply, gateway, httpRoute, ingress, installClasses, service, setBalancerAddress } from './support/objects'

const env = sharedEnvironment()
let kube: KubeClients
let ns: string


beforeAll(async () => {
  kube = createKubeClients(env)
  await installGatewayApiCrds(kube.kubeConfig)
  await installClasses(kube)
  ns = await createTestNamespace(kube.core, 'cli-live')
  await apply(kube, service(ns, 'web', 80), service(ns, 'later', 80))
  await setBalancerAddress(kube, ns, 'web', 'web.elb.example.test')
  await apply(
    kube,
    gateway(ns, 'edge', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.${ns}.example.test` }]),
    httpRoute(ns, 'shop', { parentRefs: [{ name: 'edge' }], hostnames: [`shop.${ns}.example.test`], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }),
    ingress(ns, 'site', `site.${ns}.example.test`, { name: 'later', port: 80 }),
  )
})

describe('routes check and explain --kubeconfig', () => {
  it('explains a request with the backend and the balancer address from the cluster', async () => {
    const { code, stdout } = await runCli(['routes', 'explain', '--kubeconfig', env.kubeconfigPath, '--url', `http://shop.${ns}.example.test/cart`])
    expect(code).toBe(0)
    const line = JSON.parse(stdout.trim())
    expect(line).toMatchObject({ status: null, backend: { namespace: ns, name: 'web', port: 80 }, gateway: { address: 'web.elb.example.test', port: 80 }, route: { kind: 'HTTPRoute', namespace: ns, name: 'shop' } })
  })

  it('reports a backend without a balancer as a warning from the live objects', async () => {
    const { code, stdout } = await runCli(['routes', 'check', '--kubeconfig', env.kubeconfigPath, '--output', 'json'])
    const report = JSON.parse(stdout)
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ severity: 'warning', object: { kind: 'Ingress', namespace: ns, name: 'site' }, message: expect.stringMatching(/no L4 balancer address yet/) }))
    // Other test files leave objects behind in the shared cluster: the exit code follows whatever errors they hold.
    expect(code).toBe(report.errors > 0 ? 1 : 0)
  })

  it('refuses files and --kubeconfig together, and neither, with a clear message', async () => {
    const both = await runCli(['routes', 'check', 'infra/examples', '--kubeconfig', env.kubeconfigPath])
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/give either manifest files\/directories or --kubeconfig <file>/)
    const neither = await runCli(['routes', 'check'])
    expect(neither.stderr).toMatch(/give either manifest files\/directories or --kubeconfig <file>/)
  })

  it('says what is wrong with an unreachable cluster', async () => {
    const { code, stderr } = await runCli(['routes', 'check', '--kubeconfig', '/nonexistent/kubeconfig'])
    expect(code).toBe(2)
    expect(stderr).toMatch(/^edge-ingress: .*nonexistent/m)
  })
})
