// The route module publishing to S3 (moto behind the fault proxy) while S3 refuses every
// write: the HTTP endpoint is published regardless, the failure is logged and counted, the
// S3 readers keep the previous table, and the module retries on its own until S3 takes it.
import { CreateBucketCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3RouteTableStore } from '../../../controller/src/adapters/aws/s3-route-table-store'
import { silentLogger } from '../../../controller/src/observability/logger'
import { createS3RouteTableSource } from '../../../edge/src/adapters/s3-route-table-source'
import { clusterTableKey } from '../../../edge/src/route-table/store-layout'
import { awsClientConfig, createAwsClients, createKubeClients, type KubeClients } from '../../env/clients'
import { FaultProxy } from '../../env/fault-proxy'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createTestNamespace, uniqueName } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'
import { eventually } from '../edge/support/eventually'
import { apply, gateway, httpRoute, installClasses, service, setBalancerAddress } from './support/objects'
import { counterTotal, startRouteController, type RouteController } from './support/route-controller'

const env = sharedEnvironment()
const bucket = uniqueName('retry-tables')
const cluster = uniqueName('retry')
let kube: KubeClients
let proxy: FaultProxy
let controller: RouteController
let ns: string

const reader = createS3RouteTableSource(bucket, clusterTableKey(cluster), { ...awsClientConfig(env), forcePathStyle: true })
const s3Revision = async () => {
  const read = await reader.read(null)
  return read.kind === 'table' ? (JSON.parse(read.text) as { revision: string }).revision : null
}
const httpRevision = async () => ((await (await fetch(controller.endpoint.name)).json()) as { revision: string }).revision

beforeAll(async () => {
  kube = createKubeClients(env)
  await installGatewayApiCrds(kube.kubeConfig)
  await installClasses(kube)
  await createAwsClients(env).s3.send(new CreateBucketCommand({ Bucket: bucket }))
  proxy = await FaultProxy.start(env.motoUrl)
  ns = await createTestNamespace(kube.core, 'retry')
  await apply(kube, service(ns, 'web', 80), gateway(ns, 'edge', [{ name: 'http', protocol: 'HTTP', port: 80, hostname: `*.${ns}.example.test` }]))
  await setBalancerAddress(kube, ns, 'web', 'web.elb.example.test')
  const store = new S3RouteTableStore({ bucket, cluster, client: { ...awsClientConfig(env, { endpoint: proxy.url }), forcePathStyle: true, maxAttempts: 1 }, logger: silentLogger() })
  controller = await startRouteController(env, { cluster, leaderStores: [store] })
})
afterAll(async () => {
  await controller?.stop()
  await proxy?.close()
})

describe('publishing while S3 refuses writes', () => {
  it('keeps S3 readers on the previous table, publishes over HTTP anyway, and catches up once S3 is back', async () => {
    const before = await eventually(s3Revision, (r) => r !== null, 'a first table in S3')
    proxy.throttle({ service: 's3', fraction: 1 })
    await apply(kube, httpRoute(ns, 'shop', { parentRefs: [{ name: 'edge' }], hostnames: [`shop.${ns}.example.test`], rules: [{ backendRefs: [{ name: 'web', port: 80 }] }] }))
    const next = await eventually(httpRevision, (r) => r !== before, 'the new table on the HTTP endpoint')
    await eventually(() => counterTotal(controller.metrics, 'edge_ingress_route_table_publishes_total', { result: 'error' }), (n) => n >= 2, 'failed S3 publishes, retried')
    expect(controller.logs.some((l) => l.msg.startsWith('could not publish the route table'))).toBe(true)
    expect(await s3Revision()).toBe(before)
    proxy.clearFaults()
    await eventually(s3Revision, (r) => r === next, 'S3 to get the new table without any further change', 600)
  })
})
