// End to end on the real environment: `edge-ingress controller` (both halves, one process) on
// the real kube-apiserver and moto; the L4 half gives the backend Services their balancers, the
// test-only address override points those at local echo backends; the controller publishes to
// its HTTP endpoint and to S3; edges on Node (HTTP long-poll, and S3) and on workerd (HTTP) pick
// the table up and real requests reach the expected backends. Then the failure cases: a route
// to a Service without a balancer, conflicting and invalid objects, a corrupt published table.
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleEdge } from '../../../edge/src/runtime/build/bundle'
import { clusterTableKey } from '../../../edge/src/route-table/store-layout'
import { createAwsClients } from '../../env/clients'
import { startEnvironment, type EnvironmentInfo, type TestEnvironment } from '../../env/environment'
import { uniqueName } from '../../env/fixtures/names'
import { eventually } from '../../integration/edge/support/eventually'
import { gateway, httpRoute, ingress, nextSecond, service } from '../../integration/routes/support/objects'
import { startController, startNodeEdge, workDir, type RunningController, type RunningEdge } from './support/cli'
import { apply, createE2eCluster, type E2eCluster } from './support/cluster'
import { get, until, type Answer } from './support/requests'

let environment: TestEnvironment
let env: EnvironmentInfo
let aws: ReturnType<typeof createAwsClients>
const bucket = uniqueName('e2e-tables')
let cluster: E2eCluster
let controller: RunningController
let httpEdge: RunningEdge
let s3Edge: RunningEdge
let worker: Miniflare
let ns: string
let host: (name: string) => string

const viaWorker = async (hostname: string, path = '/'): Promise<Answer> => {
  const res = await worker.dispatchFetch(`http://${hostname}${path}`)
  return { status: res.status, servedBy: res.headers.get('x-served-by'), body: await res.text() }
}
const routeTo = (name: string, hostname: string, backend: string, path = '/') =>
  httpRoute(ns, name, { parentRefs: [{ name: 'edge' }], hostnames: [hostname], rules: [{ matches: [{ path: { type: 'PathPrefix', value: path } }], backendRefs: [{ name: backend, port: cluster.echo[backend]?.port ?? 80 }] }] })

beforeAll(async () => {
  environment = await startEnvironment({ name: 'e2e-routes' })
  env = environment.info
  aws = createAwsClients(env)
  const dir = await workDir()
  cluster = await createE2eCluster(env, 'e2e', ['web', 'api', 'canary'])
  ns = cluster.namespace
  host = (name: string) => `${name}.${ns}.example.test`
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }))
  await apply(cluster.kube, cluster.backendService('web'), cluster.backendService('api'), cluster.backendService('canary'))
  await apply(cluster.kube, gateway(ns, 'edge', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.${ns}.example.test` }]))
  controller = await startController(env, dir, { cluster: cluster.world.cluster, publish: ['http', `s3://${bucket}`], publicAddress: '192.0.2.10' })
  httpEdge = await startNodeEdge(dir, 'http', ['--source', controller.routeTableUrl, '--long-poll', '20'])
  s3Edge = await startNodeEdge(dir, 's3', ['--source', `s3://${bucket}/${clusterTableKey(cluster.world.cluster)}`, '--aws-endpoint', env.motoUrl, '--aws-region', env.region], env)
  const { code } = await bundleEdge({ runtime: 'cloudflare-workers' })
  worker = new Miniflare({ modules: true, script: code, compatibilityDate: '2025-01-01', bindings: { ROUTE_TABLE_URL: controller.routeTableUrl, ROUTE_TABLE_REFRESH_SECONDS: '0' } })
})

afterAll(async () => {
  await worker?.dispose()
  await httpEdge?.stop()
  await s3Edge?.stop()
  await controller?.stop()
  await cluster?.dispose()
  await environment?.stop()
})

describe('controller -> published table -> edges -> backends', () => {
  it('routes HTTPRoute and Ingress traffic through every edge once the L4 balancers exist', async () => {
    await apply(cluster.kube, routeTo('shop', host('shop'), 'web'), ingress(ns, 'site', host('site'), { name: 'api', port: cluster.echo.api!.port }))
    // The L4 half first: the override is honoured only once the Service has its balancer.
    const balanced = await eventually(
      () => cluster.kube.core.readNamespacedService({ namespace: ns, name: 'web' }),
      (s) => (s.status?.loadBalancer?.ingress?.[0]?.hostname ?? '').length > 0,
      'the L4 half to give Service web its balancer',
      2400,
    )
    expect(balanced.status!.loadBalancer!.ingress![0]!.hostname).toMatch(/elb/)
    for (const [name, probe] of Object.entries({ http: (h: string) => get(httpEdge.url, h), s3: (h: string) => get(s3Edge.url, h), workerd: (h: string) => viaWorker(h) })) {
      await until(() => probe(host('shop')), { servedBy: 'e2e-web', status: 200 }, `${name} edge: shop -> web`)
      await until(() => probe(host('site')), { servedBy: 'e2e-api', status: 200 }, `${name} edge: site -> api`)
    }
    const site = await eventually(() => cluster.kube.networking.readNamespacedIngress({ namespace: ns, name: 'site' }), (i) => (i.status?.loadBalancer?.ingress?.length ?? 0) > 0, 'Ingress status')
    expect(site.status!.loadBalancer!.ingress).toEqual([{ ip: '192.0.2.10' }])
  })

  it('propagates an HTTPRoute change to the edges within a second or two (measured by polling)', async () => {
    const delays: Record<string, number> = {}
    await apply(cluster.kube, routeTo('shop', host('shop'), 'canary'))
    const started = performance.now()
    await until(() => get(httpEdge.url, host('shop')), { servedBy: 'e2e-canary' }, 'http edge follows the change')
    delays.http = performance.now() - started
    await until(() => viaWorker(host('shop')), { servedBy: 'e2e-canary' }, 'workerd edge follows the change')
    delays.workerd = performance.now() - started
    await until(() => get(s3Edge.url, host('shop')), { servedBy: 'e2e-canary' }, 's3 edge follows the change')
    delays.s3 = performance.now() - started
    console.log(`propagation after an HTTPRoute change: ${JSON.stringify(Object.fromEntries(Object.entries(delays).map(([k, v]) => [k, `${Math.round(v)} ms`])))}`)
    // Long-poll: the controller answers held requests the moment it publishes.
    expect(delays.http).toBeLessThan(2_000)
    expect(delays.s3).toBeLessThan(5_000)
  })

  it('answers 500 for a route to a Service without a balancer, with the reason in status, and keeps serving the rest', async () => {
    await apply(cluster.kube, service(ns, 'unbalanced', 80), httpRoute(ns, 'orphan', { parentRefs: [{ name: 'edge' }], hostnames: [host('orphan')], rules: [{ backendRefs: [{ name: 'unbalanced', port: 80 }] }] }))
    const answer = await until(() => get(httpEdge.url, host('orphan')), { status: 500 }, 'a 500 for the route without a balancer').then(() => get(httpEdge.url, host('orphan')))
    expect(JSON.parse(answer.body)).toMatchObject({ error: expect.any(String) })
    const status = await eventually(
      () => cluster.kube.customObjects.getNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace: ns, plural: 'httproutes', name: 'orphan' }) as Promise<{ status?: { parents?: { conditions: { type: string; reason: string }[] }[] } }>,
      (r) => (r.status?.parents?.[0]?.conditions ?? []).some((c) => c.type === 'ResolvedRefs' && c.reason === 'BackendNotReady'),
      'ResolvedRefs=False BackendNotReady on the route',
    )
    expect(status.status!.parents![0]!.conditions.find((c) => c.type === 'ResolvedRefs')).toMatchObject({ status: 'False' })
    expect((await get(httpEdge.url, host('site'))).servedBy).toBe('e2e-api')
  })

  it('keeps the oldest of two conflicting routes and ignores an invalid one, without disturbing traffic', async () => {
    await apply(cluster.kube, routeTo('first', host('contested'), 'web'))
    await until(() => get(httpEdge.url, host('contested')), { servedBy: 'e2e-web' }, 'the first route served')
    await nextSecond()
    await apply(
      cluster.kube,
      routeTo('second', host('contested'), 'api'),
      httpRoute(ns, 'regex', { parentRefs: [{ name: 'edge' }], hostnames: [host('regex')], rules: [{ matches: [{ path: { type: 'RegularExpression', value: '/v[0-9]+' } }], backendRefs: [{ name: 'api', port: cluster.echo.api!.port }] }] }),
    )
    const conditions = async (name: string) =>
      ((await cluster.kube.customObjects.getNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace: ns, plural: 'httproutes', name })) as { status?: { parents?: { conditions: { type: string; status: string; reason: string }[] }[] } }).status?.parents?.[0]?.conditions ?? []
    await eventually(() => conditions('second'), (c) => c.some((x) => x.type === 'Conflicted' && x.status === 'True'), 'Conflicted on the newer route')
    await eventually(() => conditions('regex'), (c) => c.some((x) => x.type === 'Accepted' && x.status === 'False' && x.reason === 'UnsupportedValue'), 'Accepted=False UnsupportedValue on the invalid route')
    for (let i = 0; i < 5; i++) expect((await get(httpEdge.url, host('contested'))).servedBy).toBe('e2e-web')
    expect((await get(httpEdge.url, host('regex'), '/v1')).status).toBe(404)
    expect((await get(httpEdge.url, host('shop'))).status).toBe(200)
  })

  it('keeps serving the last good table when the published table is corrupt, and says so in its log and metrics', async () => {
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: clusterTableKey(cluster.world.cluster), Body: '{"schemaVersion":1,"revision":"x","gateways":{},"hosts":"garbage"}' }))
    await eventually(
      async () => (await fetch(`${s3Edge.adminUrl}/metrics`)).text(),
      (text) => /edge_route_table_source_reads_total\{[^}]*outcome="refused"[^}]*\} [1-9]/.test(text),
      'the s3 edge to count the refused table',
    )
    expect(s3Edge.process.lastLogLines(200)).toMatch(/route-table-refused/)
    for (let i = 0; i < 5; i++) expect((await get(s3Edge.url, host('shop'))).servedBy).toBe('e2e-canary')
    // The next publish replaces the pointer, and the edge moves on.
    await apply(cluster.kube, routeTo('shop', host('shop'), 'web'))
    await until(() => get(s3Edge.url, host('shop')), { servedBy: 'e2e-web' }, 's3 edge recovers with the next publish')
  })
})
