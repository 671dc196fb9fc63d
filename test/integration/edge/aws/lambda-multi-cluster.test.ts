// The real Lambda handler configured as the CDK stack configures it (a bucket, no key, no cluster
// list: every cluster under route-tables/), reading what the real S3 store adapter of the
// controller publishes to moto: two clusters' tables merged, requests reaching both clusters'
// gateways, one cluster's pointer corrupted (its last good table stays), one cluster's gateway
// down (failover to the other), one cluster's pointer deleted (its routes leave the merge), and a
// third cluster found by the next listing. Then the same with EDGE_ROUTE_TABLE_CLUSTERS.
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3RouteTableStore } from '../../../../controller/src/adapters/aws/s3-route-table-store'
import { silentLogger } from '../../../../controller/src/observability/logger'
import { noMetrics, type SourceReadOutcome } from '../../../../edge/src/observability/metrics'
import { withRevision } from '../../../../edge/src/route-table/revision'
import { clusterTableKey } from '../../../../edge/src/route-table/store-layout'
import type { RouteTable } from '../../../../edge/src/route-table/types'
import { createLambdaHandler } from '../../../../edge/src/runtime/aws-lambda'
import { awsClientConfig, createAwsClients } from '../../../env/clients'
import { uniqueName } from '../../../env/fixtures/names'
import { sharedEnvironment } from '../../../env/shared-environment'
import { copyFor, route, table } from '../../../spec-cases/builder'
import { CapturedLogs } from '../support/captured-logs'
import { eventually } from '../support/eventually'
import { startGateways, type LiveGateways } from '../support/gateways'
import { functionUrlEvent } from '../support/lambda-events'

const env = sharedEnvironment()
const aws = createAwsClients(env)
const bucket = uniqueName('multi-tables')
const clusters: Record<string, LiveGateways> = {}
const savedEnv = { ...process.env }

/** Cluster `c` serves shop.multi.test (as every cluster does) and c.multi.test (its own). */
async function startCluster(c: string): Promise<LiveGateways> {
  clusters[c] = await startGateways(table({
    'shop.multi.test': [route({ object: 'shop/web', backend: `${c}/web:80` })],
    [`${c}.multi.test`]: [route({ object: `${c}/own`, backend: `${c}/own:80` })],
  }))
  return clusters[c]!
}

const store = (cluster: string) => new S3RouteTableStore({ bucket, cluster, client: { ...awsClientConfig(env), forcePathStyle: true }, logger: silentLogger() })
const publish = (cluster: string, t: RouteTable) => store(cluster).publish(t, JSON.stringify(t))

function lambdaEnvironment(extra: Record<string, string> = {}) {
  // What the CDK stack sets, plus the SDK's own variables pointing it at moto.
  Object.assign(process.env, {
    EDGE_ROUTE_TABLE_BUCKET: bucket,
    EDGE_ROUTE_TABLE_PREFIX: 'route-tables/',
    EDGE_ROUTE_TABLE_REGION: env.region,
    EDGE_ROUTE_TABLE_S3_PATH_STYLE: 'true',
    EDGE_ROUTE_TABLE_DISCOVERY_SECONDS: '0',
    AWS_ENDPOINT_URL_S3: env.motoUrl,
    AWS_ACCESS_KEY_ID: env.awsAccessKeyId,
    AWS_SECRET_ACCESS_KEY: env.awsSecretAccessKey,
    ...extra,
  })
  delete process.env.EDGE_ROUTE_TABLE_KEY
  if (!('EDGE_ROUTE_TABLE_CLUSTERS' in extra)) delete process.env.EDGE_ROUTE_TABLE_CLUSTERS
}

function lambdaEdge() {
  const logs = new CapturedLogs()
  const reads: [string, SourceReadOutcome][] = []
  const metrics = { ...noMetrics, sourceRead: (source: string, outcome: SourceReadOutcome) => void reads.push([source, outcome]) }
  const handler = createLambdaHandler({ refreshSeconds: 0, logger: logs.logger, metrics, gatewayCoolDownMs: 60_000 })
  const get = async (host: string) => {
    const result = await handler(functionUrlEvent({ path: '/', viewerHost: host }))
    return { status: result.statusCode, servedBy: result.statusCode === 200 ? (JSON.parse(result.body) as { server: string }).server : null }
  }
  const tally = async (host: string, count: number) => {
    const seen: Record<string, number> = {}
    for (let i = 0; i < count; i++) {
      const { status, servedBy } = await get(host)
      const key = servedBy ?? `status ${status}`
      seen[key] = (seen[key] ?? 0) + 1
    }
    return seen
  }
  return { logs, reads, get, tally }
}

beforeAll(async () => {
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }))
  for (const c of ['a', 'b']) await publish(c, (await startCluster(c)).table)
})
afterAll(async () => {
  process.env = savedEnv
  for (const live of Object.values(clusters)) await live.close()
})

describe('Lambda edge following every cluster under the S3 prefix', () => {
  let edge: ReturnType<typeof lambdaEdge>
  beforeAll(() => {
    lambdaEnvironment()
    edge = lambdaEdge()
  })

  it('merges both clusters: the shared host reaches both clusters, each own host its cluster', async () => {
    await eventually(() => edge.get('b.multi.test'), (r) => r.status === 200, 'both tables served')
    const shared = await edge.tally('shop.multi.test', 40)
    expect(Object.keys(shared).sort()).toEqual(['gw-a-web-80', 'gw-b-web-80'])
    expect(Math.min(shared['gw-a-web-80']!, shared['gw-b-web-80']!)).toBeGreaterThan(4)
    expect((await edge.get('a.multi.test')).servedBy).toBe('gw-a-own-80')
    expect((await edge.get('b.multi.test')).servedBy).toBe('gw-b-own-80')
    expect(edge.logs.lines.filter((l) => l.event === 'route-table-source-followed').map((l) => l.source).sort()).toEqual([
      `s3://${bucket}/${clusterTableKey('a')}`,
      `s3://${bucket}/${clusterTableKey('b')}`,
    ])
  })

  it('keeps the last good table of a cluster whose pointer turns to garbage, logged and counted, while the other cluster moves on', async () => {
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: clusterTableKey('b'), Body: '{"kind": "edge-ingress.io/route-table-pointer", "revision": ' }))
    const { revision: _r, ...a } = clusters.a!.table
    const moved = await withRevision({ ...a, hosts: [...a.hosts, { hostname: 'a2.multi.test', routes: a.hosts.find((h) => h.hostname === 'a.multi.test')!.routes.map((r) => copyFor(r, 'a2.multi.test')) }] })
    await publish('a', moved)
    await eventually(() => edge.get('a2.multi.test'), (r) => r.status === 200, "cluster a's new revision")
    expect((await edge.get('b.multi.test')).servedBy).toBe('gw-b-own-80')
    expect(Object.keys(await edge.tally('shop.multi.test', 20)).sort()).toEqual(['gw-a-web-80', 'gw-b-web-80'])
    const refused = edge.logs.lines.find((l) => l.event === 'route-table-refused')
    expect(refused).toMatchObject({ origin: `s3://${bucket}/${clusterTableKey('b')}` })
    expect(edge.reads).toContainEqual([`s3://${bucket}/${clusterTableKey('b')}`, 'refused'])
  })

  it("fails over to the other cluster when one cluster's gateway is down", async () => {
    await clusters.a!.servers['gw-a-web-80']!.close()
    expect(await edge.tally('shop.multi.test', 20)).toEqual({ 'gw-b-web-80': 20 })
  })

  it("drops a cluster whose pointer is deleted (its revisions stay) from the merge, on purpose", async () => {
    await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: clusterTableKey('a') }))
    await eventually(() => edge.get('a.multi.test'), (r) => r.status === 404, "cluster a's routes to leave")
    expect((await edge.get('a2.multi.test')).status).toBe(404)
    expect((await edge.get('b.multi.test')).servedBy).toBe('gw-b-own-80')
    expect(await edge.tally('shop.multi.test', 10)).toEqual({ 'gw-b-web-80': 10 })
    expect(edge.logs.lines.find((l) => l.event === 'route-table-withdrawn')).toMatchObject({ level: 'warn', origin: `s3://${bucket}/${clusterTableKey('a')}` })
  })

  it('finds a cluster that starts publishing at the next listing', async () => {
    await publish('c', (await startCluster('c')).table)
    const served = await eventually(() => edge.get('c.multi.test'), (r) => r.status === 200, 'cluster c to be found')
    expect(served.servedBy).toBe('gw-c-own-80')
  })
})

describe('Lambda edge with EDGE_ROUTE_TABLE_CLUSTERS', () => {
  it('merges the named clusters only', async () => {
    await publish('b', clusters.b!.table) // the good table again, over the garbage
    lambdaEnvironment({ EDGE_ROUTE_TABLE_CLUSTERS: 'b, c' })
    const edge = lambdaEdge()
    await eventually(() => edge.get('c.multi.test'), (r) => r.status === 200, 'cluster c')
    expect((await edge.get('b.multi.test')).servedBy).toBe('gw-b-own-80')
    expect(edge.logs.lines.filter((l) => l.event === 'route-table-source-followed')).toHaveLength(2)
  })
})
