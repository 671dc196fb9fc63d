// Publishing to S3 (moto, through the real SDK) and reading it back the way the edge does: the
// immutable revision first and the pointer last (a failed pointer write leaves readers on the
// old table), conditional GETs, pruning, a corrupt or dangling pointer refused with the last
// good table serving, and the Lambda edge following the pointer to forward a request.
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3'
import type { APIGatewayProxyResultV2, Context } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3RouteTableStore } from '../../../controller/src/adapters/aws/s3-route-table-store'
import { silentLogger } from '../../../controller/src/observability/logger'
import { createS3RouteTableSource } from '../../../edge/src/adapters/s3-route-table-source'
import { silentLogger as silentEdgeLogger } from '../../../edge/src/observability/logger'
import { noMetrics } from '../../../edge/src/observability/metrics'
import { withRevision } from '../../../edge/src/route-table/revision'
import { clusterTableKey, revisionKey } from '../../../edge/src/route-table/store-layout'
import type { RouteTable } from '../../../edge/src/route-table/types'
import { createLambdaHandler } from '../../../edge/src/runtime/aws-lambda'
import { RouteTableHolder } from '../../../edge/src/table/route-table-holder'
import { awsClientConfig, createAwsClients } from '../../env/clients'
import { FaultProxy } from '../../env/fault-proxy'
import { uniqueName } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'
import { startEchoServer, type EchoServer } from '../edge/support/echo-server'
import { functionUrlEvent } from '../edge/support/lambda-events'

const env = sharedEnvironment()
const aws = createAwsClients(env)
const bucket = uniqueName('route-tables')
let proxy: FaultProxy
let echo: EchoServer

async function table(host: string, port = 80): Promise<RouteTable> {
  return withRevision({
    schemaVersion: 1,
    gateways: { 'c/gw': { id: 'c/gw', cluster: 'c', address: '127.0.0.1', port, protocol: 'http' } },
    hosts: [
      {
        hostname: host,
        routes: [
          {
            id: 'HTTPRoute/shop/web/0/0',
            source: { kind: 'HTTPRoute', namespace: 'shop', name: 'web', rule: 0, match: 0, createdAt: '2026-01-01T00:00:00.000Z', cluster: 'c' },
            wildcard: 'suffix',
            listenerPorts: [],
            match: { path: { type: 'PathPrefix', value: '/' }, method: null, headers: [], query: [] },
            action: { backends: [{ gateway: 'c/gw', weight: 1, service: { namespace: 'shop', name: 'web', port: 80 }, filters: [] }], filters: [], timeouts: { requestMs: null, backendMs: null }, retry: null },
          },
        ],
      },
    ],
    fallback: null,
  } as never)
}

const store = (cluster: string, endpoint = env.motoUrl, keep?: number) =>
  new S3RouteTableStore({ bucket, cluster, client: { ...awsClientConfig(env, { endpoint }), forcePathStyle: true, maxAttempts: 1 }, logger: silentLogger(), ...(keep ? { keep } : {}) })
const source = (cluster: string) => createS3RouteTableSource(bucket, clusterTableKey(cluster), { ...awsClientConfig(env), forcePathStyle: true })
const publish = (s: S3RouteTableStore, t: RouteTable) => s.publish(t, JSON.stringify(t))
const revisionOf = (read: Awaited<ReturnType<ReturnType<typeof source>['read']>>) => (read.kind === 'table' ? (JSON.parse(read.text) as RouteTable).revision : read.kind)

beforeAll(async () => {
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }))
  proxy = await FaultProxy.start(env.motoUrl)
  echo = await startEchoServer('web')
})
afterAll(async () => {
  await proxy?.close()
  await echo?.close()
})

describe('S3 route-table store and source', () => {
  it('writes the revision under the cluster prefix and a pointer to it; the source follows it and answers unchanged for the same pointer', async () => {
    const one = await table('a.example')
    await publish(store('c1'), one)
    const pointer = JSON.parse(await (await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: clusterTableKey('c1') }))).Body!.transformToString())
    expect(pointer).toMatchObject({ kind: 'edge-ingress.io/route-table-pointer', revision: one.revision, key: revisionKey('c1', one.revision), cluster: 'c1' })
    const reader = source('c1')
    const first = await reader.read(null)
    expect(revisionOf(first)).toBe(one.revision)
    expect(await reader.read(first.kind === 'table' ? first.tag : null)).toEqual({ kind: 'unchanged' })
    expect(await source('nobody').read(null)).toEqual({ kind: 'missing' })
  })

  it('leaves readers on the old table when the pointer cannot be written, and moves them when it can', async () => {
    const writer = store('c2', proxy.url)
    const one = await table('a.example')
    const two = await table('b.example')
    await publish(writer, one)
    proxy.resetCalls()
    // The second PutObject of the next publish is the pointer.
    proxy.failNth({ service: 's3', action: 'PutObject', nth: 2, error: { status: 403, code: 'AccessDenied', message: 'Access Denied' } })
    await expect(publish(writer, two)).rejects.toThrow(/Access Denied/)
    expect(proxy.calls({ service: 's3', action: 'PutObject' }).map((c) => c.outcome)).toEqual(['forwarded', 'failed'])
    expect(revisionOf(await source('c2').read(null))).toBe(one.revision)
    proxy.clearFaults()
    await publish(writer, two)
    expect(revisionOf(await source('c2').read(null))).toBe(two.revision)
  })

  it('keeps the newest revisions and deletes older ones, never the current one', async () => {
    const writer = store('c3', env.motoUrl, 3)
    let last: RouteTable | null = null
    for (let i = 0; i < 6; i++) await publish(writer, (last = await table(`h${i}.example`)))
    const listed = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'route-tables/c3/revisions/' }))
    const keys = (listed.Contents ?? []).map((o) => o.Key)
    expect(keys.length).toBeLessThanOrEqual(4)
    expect(keys).toContain(revisionKey('c3', last!.revision))
  })

  it('refuses a corrupt table and a dangling pointer; the holder keeps serving the last good table', async () => {
    const good = await table('a.example')
    await publish(store('c4'), good)
    const holder = new RouteTableHolder(silentEdgeLogger, noMetrics)
    const reader = source('c4')
    const load = async () => {
      const read = await reader.read(null)
      return read.kind === 'table' ? holder.load(read.text, reader.name).ok : read.kind
    }
    expect(await load()).toBe(true)
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: revisionKey('c4', 'bad0bad0'), Body: '{"schemaVersion":1,"revision":"x","hosts":[' }))
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: clusterTableKey('c4'), Body: JSON.stringify({ kind: 'edge-ingress.io/route-table-pointer', revision: 'bad0bad0', key: revisionKey('c4', 'bad0bad0') }) }))
    expect(await load()).toBe(false)
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: clusterTableKey('c4'), Body: JSON.stringify({ kind: 'edge-ingress.io/route-table-pointer', revision: 'dead0000', key: revisionKey('c4', 'dead0000') }) }))
    await expect(reader.read(null)).rejects.toThrow(/does not exist/)
    await aws.s3.send(new PutObjectCommand({ Bucket: bucket, Key: clusterTableKey('c4'), Body: JSON.stringify({ kind: 'edge-ingress.io/route-table-pointer', revision: 'ab12cd34', key: 'route-tables/other/secret.json' }) }))
    await expect(reader.read(null)).rejects.toThrow(/is not under "route-tables\/c4\/"/)
    expect(holder.current()!.table.revision).toBe(good.revision)
  })

  it('feeds the Lambda edge, which follows the pointer and forwards to the gateway it names', async () => {
    await publish(store('c5'), await table('shop.example', echo.port))
    const handler = createLambdaHandler({ source: source('c5'), refreshSeconds: 0, logger: silentEdgeLogger })
    const response = (await handler(functionUrlEvent({ path: '/cart', viewerHost: 'shop.example' }), {} as Context)) as Exclude<APIGatewayProxyResultV2, string>
    expect(response.statusCode).toBe(200)
    expect(response.headers?.['x-served-by']).toBe('web')
    expect(echo.received.at(-1)!.url).toBe('/cart')
  })
})
