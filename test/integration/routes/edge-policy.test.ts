// EdgePolicy on the real kube-apiserver: the CRD (infra/crds/) refuses what the compiler would
// refuse, and the route module (real informers, status writer and endpoint) turns annotated and
// ExtensionRef'd policies into table filters, hashes labelled Secrets' API keys, follows their
// changes, and gives a route whose policy is gone ResolvedRefs=False/PolicyNotFound while its
// rule answers 500 and the other routes keep serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { edgeIngressResources } from '../../../controller/src/adapters/kubernetes/edge-ingress-discovery'
import { listRouteObjects } from '../../../controller/src/adapters/kubernetes/route-objects'
import { compileRoutes } from '../../../controller/src/routes/compile'
import type { Filter, RouteTable } from '../../../edge/src/route-table/types'
import { createKubeClients, type KubeClients } from '../../env/clients'
import { installEdgeIngressCrds } from '../../env/fixtures/edge-crds'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createTestNamespace, uniqueName } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'
import { eventually } from '../edge/support/eventually'
import { apply, gateway, httpRoute, installClasses, remove, service, setBalancerAddress } from './support/objects'
import { startRouteController, type RouteController } from './support/route-controller'

const env = sharedEnvironment()
let kube: KubeClients
let controller: RouteController
let ns: string

const edgePolicy = (name: string, spec: object) => ({ apiVersion: 'edge-ingress.io/v1alpha1', kind: 'EdgePolicy', metadata: { namespace: ns, name }, spec })
const keysSecret = (keys: Record<string, string>, labelled = true) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { namespace: ns, name: 'api-keys', ...(labelled ? { labels: { 'edge-ingress.io/api-keys': 'true' } } : {}) },
  stringData: keys,
})
const annotated = (object: object, annotations: Record<string, string>) => {
  const o = object as { metadata: Record<string, unknown> }
  return { ...o, metadata: { ...o.metadata, annotations } }
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
const create = (body: object) => kube.customObjects.createNamespacedCustomObject({ group: 'edge-ingress.io', version: 'v1alpha1', namespace: ns, plural: 'edgepolicies', body })
/** The apiserver's refusal message, or null when it accepted the object. */
const refusal = (body: object) =>
  create(body).then(
    () => null,
    (error: { code?: number; body?: string }) => `${error.code} ${error.body ?? ''}`,
  )

const table = async () => (await (await fetch(controller.endpoint.name)).json()) as RouteTable
const filtersOf = (t: RouteTable, host: string, path: string) => t.hosts.find((h) => h.hostname === host)?.routes.find((r) => r.match.path.value === path)?.action

beforeAll(async () => {
  kube = createKubeClients(env)
  await installGatewayApiCrds(kube.kubeConfig)
  await installEdgeIngressCrds(kube.kubeConfig)
  await installClasses(kube)
  ns = await createTestNamespace(kube.core, 'policy')
  await apply(kube, service(ns, 'api', 80))
  await setBalancerAddress(kube, ns, 'api', 'api.elb.example.test')
  await apply(kube, gateway(ns, 'edge', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.${ns}.example.test` }]))
  controller = await startRouteController(env, { cluster: uniqueName('policy'), apiKeySecrets: true })
})
afterAll(async () => controller?.stop())

describe('the EdgePolicy CRD', () => {
  it('accepts a complete policy and fills in the defaults', async () => {
    await create(edgePolicy('defaults', { rateLimit: { requests: 10, period: '1m' }, authentication: { apiKey: { keys: [{ name: 'k', sha256: sha256('k') }] }, jwt: { issuer: 'https://id.test', audiences: ['a'], jwksUri: 'https://id.test/jwks' } } }))
    const stored = (await kube.customObjects.getNamespacedCustomObject({ group: 'edge-ingress.io', version: 'v1alpha1', namespace: ns, plural: 'edgepolicies', name: 'defaults' })) as { spec: Record<string, Record<string, unknown>> }
    expect(stored.spec.rateLimit!.key).toEqual({ type: 'ClientAddress' })
    expect(stored.spec.authentication).toMatchObject({ apiKey: { header: 'X-API-Key' }, jwt: { algorithms: ['RS256', 'ES256'], clockSkew: '60s', jwksCacheDuration: '5m' } })
  })

  it.each([
    ['an empty spec', {}, 'set at least one of rateLimit, authentication, maxRequestBodyBytes'],
    ['zero requests', { rateLimit: { requests: 0, period: '1m' } }, 'spec.rateLimit.requests'],
    ['a header key without its header', { rateLimit: { requests: 1, period: '1m', key: { type: 'Header' } } }, 'set header exactly when type is Header'],
    ['authentication without a method', { authentication: { realm: 'x' } }, 'set apiKey, jwt or both'],
    ['an API key block without keys', { authentication: { apiKey: { header: 'X-Key' } } }, 'set keys, secretRef or both'],
    ['a plain key instead of its digest', { authentication: { apiKey: { keys: [{ name: 'k', sha256: 'my-secret-key' }] } } }, 'spec.authentication.apiKey.keys[0].sha256'],
    ['an unknown algorithm', { authentication: { jwt: { issuer: 'i', audiences: ['a'], jwksUri: 'https://i/jwks', algorithms: ['HS256'] } } }, 'spec.authentication.jwt.algorithms[0]'],
  ])('refuses %s', async (_what, spec, message) => {
    const answer = await refusal(edgePolicy(uniqueName('bad'), spec))
    expect(answer).toMatch(/^422 /)
    expect(answer).toContain(message)
  })
})

describe('EdgePolicies in the live route table', () => {
  beforeAll(async () => {
    await apply(
      kube,
      keysSecret({ ci: 'key-ci-1' }),
      edgePolicy('auth', { authentication: { apiKey: { secretRef: { name: 'api-keys' } } } }),
      edgePolicy('limits', { rateLimit: { requests: 100, period: '1m', burst: 10 } }),
      edgePolicy('uploads', { maxRequestBodyBytes: 1024 }),
      annotated(
        httpRoute(ns, 'api', {
          parentRefs: [{ name: 'edge' }],
          hostnames: [`api.${ns}.example.test`],
          rules: [
            { matches: [{ path: { type: 'PathPrefix', value: '/orders' } }], backendRefs: [{ name: 'api', port: 80 }] },
            {
              matches: [{ path: { type: 'PathPrefix', value: '/uploads' } }],
              filters: [{ type: 'ExtensionRef', extensionRef: { group: 'edge-ingress.io', kind: 'EdgePolicy', name: 'uploads' } }],
              backendRefs: [{ name: 'api', port: 80 }],
            },
          ],
        }),
        { 'edge-ingress.io/policy': 'auth, limits' },
      ),
    )
  })

  it('compiles the annotated and the ExtensionRef policies, with the Secret key as its digest', async () => {
    const t = await eventually(table, (t) => (filtersOf(t, `api.${ns}.example.test`, '/uploads')?.filters.length ?? 0) === 3, 'the policies in the published table')
    const uploads = filtersOf(t, `api.${ns}.example.test`, '/uploads')!.filters
    expect(uploads.map((f) => f.type)).toEqual(['Authentication', 'RateLimit', 'RequestBodyLimit'])
    expect((uploads[0] as Extract<Filter, { type: 'Authentication' }>).apiKey!.keys).toEqual([{ name: 'api-keys/ci', sha256: sha256('key-ci-1') }])
    expect(JSON.stringify(t)).not.toContain('key-ci-1')
    expect(filtersOf(t, `api.${ns}.example.test`, '/orders')!.filters.map((f) => f.type)).toEqual(['Authentication', 'RateLimit'])
  })

  it('follows a new key in the Secret', async () => {
    await apply(kube, keysSecret({ ci: 'key-ci-1', ops: 'key-ops-2' }))
    const t = await eventually(table, (t) => (filtersOf(t, `api.${ns}.example.test`, '/orders')?.filters[0] as { apiKey?: { keys: unknown[] } } | undefined)?.apiKey?.keys.length === 2, 'the second key')
    expect((filtersOf(t, `api.${ns}.example.test`, '/orders')!.filters[0] as Extract<Filter, { type: 'Authentication' }>).apiKey!.keys.map((k) => k.name)).toEqual(['api-keys/ci', 'api-keys/ops'])
  })

  it('a deleted policy: ResolvedRefs False/PolicyNotFound on the route, its rule answers 500, the other rule keeps serving', async () => {
    await remove(kube.objects, edgePolicy('uploads', {}))
    const t = await eventually(table, (t) => filtersOf(t, `api.${ns}.example.test`, '/uploads')?.backends.length === 0, 'the rule to answer 500')
    expect(filtersOf(t, `api.${ns}.example.test`, '/orders')!.backends).toHaveLength(1)
    const status = await eventually(
      async () => (await kube.customObjects.getNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace: ns, plural: 'httproutes', name: 'api' })) as { status?: { parents?: { conditions: { type: string; status: string; reason: string; message: string }[] }[] } },
      (r) => r.status?.parents?.[0]?.conditions.some((c) => c.type === 'ResolvedRefs' && c.reason === 'PolicyNotFound') ?? false,
      'ResolvedRefs PolicyNotFound',
    )
    expect(status.status!.parents![0]!.conditions.find((c) => c.type === 'ResolvedRefs')!.message).toContain(`EdgePolicy ${ns}/uploads not found`)
  })

  it('an identity that may not list EdgePolicies or Secrets gets no informer for them (it would never sync)', async () => {
    const nobody = createKubeClients(env, { impersonate: `system:serviceaccount:${ns}:nobody` })
    expect(await edgeIngressResources(nobody.kubeConfig)).toEqual({ readable: new Set(), forbidden: ['edgepolicies'] })
    expect(await edgeIngressResources(kube.kubeConfig)).toEqual({ readable: new Set(['edgepolicies']), forbidden: [] })
  })

  it('`routes check --kubeconfig` reads the same policies and Secrets from the cluster', async () => {
    const { objects } = await listRouteObjects(kube.kubeConfig)
    const result = await compileRoutes(objects, { clusterName: 'cli' })
    const orders = result.table.hosts.find((h) => h.hostname === `api.${ns}.example.test`)!.routes.find((r) => r.match.path.value === '/orders')!
    expect((orders.action.filters[0] as Extract<Filter, { type: 'Authentication' }>).apiKey!.keys).toHaveLength(2)
    expect(result.diagnostics).toContainEqual(expect.objectContaining({ object: { kind: 'HTTPRoute', namespace: ns, name: 'api' }, message: expect.stringContaining(`EdgePolicy ${ns}/uploads not found`) }))
  })
})
