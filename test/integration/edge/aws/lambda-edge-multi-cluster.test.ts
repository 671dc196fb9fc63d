// The real Lambda@Edge origin-request handler reading S3 as the CDK bundle does (a bucket and
// the prefix, no key: every cluster), from tables the controller's S3 store publishes to moto:
// the shared host's requests get origins in both clusters, and a cluster whose pointer is
// deleted leaves the merge.
import { CreateBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3'
import type { CloudFrontRequest, CloudFrontResultResponse } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { S3RouteTableStore } from '../../../../controller/src/adapters/aws/s3-route-table-store'
import { silentLogger } from '../../../../controller/src/observability/logger'
import { lambdaSources } from '../../../../edge/src/adapters/lambda-sources'
import { withRevision } from '../../../../edge/src/route-table/revision'
import { clusterTableKey } from '../../../../edge/src/route-table/store-layout'
import { createOriginRequestHandler } from '../../../../edge/src/runtime/lambda-edge'
import { awsClientConfig, createAwsClients } from '../../../env/clients'
import { uniqueName } from '../../../env/fixtures/names'
import { sharedEnvironment } from '../../../env/shared-environment'
import { route, table } from '../../../spec-cases/builder'
import { CapturedLogs } from '../support/captured-logs'
import { eventually } from '../support/eventually'
import { originRequestEvent } from '../support/lambda-events'

const env = sharedEnvironment()
const aws = createAwsClients(env)
const bucket = uniqueName('edge-tables')
const savedEnv = { ...process.env }
/** Each cluster's gateways at its own documentation address, so an origin tells the cluster. */
const ADDRESS: Record<string, string> = { a: '192.0.2.10', b: '192.0.2.20' }

async function clusterTable(c: string) {
  const { revision: _r, ...content } = table({
    'shop.multi.test': [route({ object: 'shop/web', backend: `${c}/web:80` })],
    [`${c}.multi.test`]: [route({ object: `${c}/own`, backend: `${c}/own:80` })],
  })
  return withRevision({ ...content, gateways: Object.fromEntries(Object.entries(content.gateways).map(([id, g]) => [id, { ...g, address: ADDRESS[c]! }])) })
}

let handler: ReturnType<typeof createOriginRequestHandler>
const logs = new CapturedLogs()
const originOf = async (host: string) => {
  const result = await handler(originRequestEvent({ uri: '/', host }))
  return 'origin' in result ? (result as CloudFrontRequest).origin!.custom!.domainName : `status ${(result as CloudFrontResultResponse).status}`
}

beforeAll(async () => {
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }))
  for (const c of ['a', 'b']) {
    const t = await clusterTable(c)
    await new S3RouteTableStore({ bucket, cluster: c, client: { ...awsClientConfig(env), forcePathStyle: true }, logger: silentLogger() }).publish(t, JSON.stringify(t))
  }
  // The SDK's own variables point the S3 client at moto (in AWS it gets the function's role).
  Object.assign(process.env, { AWS_ENDPOINT_URL_S3: env.motoUrl, AWS_ACCESS_KEY_ID: env.awsAccessKeyId, AWS_SECRET_ACCESS_KEY: env.awsSecretAccessKey })
  // What the CDK compiles into the bundle: the bucket, the prefix, the region, and neither a key nor clusters.
  const sources = lambdaSources(logs.logger, { bucket, prefix: 'route-tables/', region: env.region, pathStyle: 'true' })
  handler = createOriginRequestHandler({ sources, refreshSeconds: 0, logger: logs.logger })
})
afterAll(() => {
  process.env = savedEnv
})

describe('Lambda@Edge following every cluster under the S3 prefix', () => {
  it("points the shared host's requests at both clusters' gateways", async () => {
    await eventually(() => originOf('b.multi.test'), (o) => o === ADDRESS.b, 'both tables served')
    const origins = new Set<string>()
    for (let i = 0; i < 40; i++) origins.add(await originOf('shop.multi.test'))
    expect([...origins].sort()).toEqual([ADDRESS.a, ADDRESS.b])
    expect(await originOf('a.multi.test')).toBe(ADDRESS.a)
  })

  it('drops a cluster whose pointer is deleted', async () => {
    await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: clusterTableKey('b') }))
    await eventually(() => originOf('b.multi.test'), (o) => o === 'status 404', "cluster b's routes to leave")
    for (let i = 0; i < 10; i++) expect(await originOf('shop.multi.test')).toBe(ADDRESS.a)
    expect(logs.lines.find((l) => l.event === 'route-table-withdrawn')).toMatchObject({ origin: `s3://${bucket}/${clusterTableKey('b')}` })
  })
})
