// RouteTableSource on S3 with a conditional GET (If-None-Match): an unchanged table costs a
// 304 and no parse. The only place the edge imports the AWS SDK.
import { GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import type { RouteTableSource, SourceRead } from '../table/route-table-source'

export function createS3RouteTableSource(bucket: string, key: string, config: S3ClientConfig = {}): RouteTableSource {
  const client = new S3Client(config)
  return {
    name: `s3://${bucket}/${key}`,
    async read(previousTag: string | null): Promise<SourceRead> {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(previousTag ? { IfNoneMatch: previousTag } : {}) }))
        const text = (await out.Body?.transformToString('utf-8')) ?? ''
        return { kind: 'table', text, tag: out.ETag ?? null }
      } catch (error) {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
        const name = (error as { name?: string }).name
        if (status === 304 || name === 'NotModified') return { kind: 'unchanged' }
        if (status === 404 || name === 'NoSuchKey') return { kind: 'missing' }
        throw error
      }
    },
  }
}

/**
 * The table location of the Lambda runtimes (set by the CDK stack; compiled in with esbuild
 * `define` for Lambda@Edge, which has no environment variables, hence the literal
 * `process.env.X` reads). Null when no bucket is configured.
 */
export function s3SourceFromEnvironment(): RouteTableSource | null {
  const bucket = process.env.EDGE_ROUTE_TABLE_BUCKET
  if (!bucket) return null
  const prefix = process.env.EDGE_ROUTE_TABLE_PREFIX ?? 'route-tables/'
  const key = process.env.EDGE_ROUTE_TABLE_KEY ?? `${prefix}default/route-table.json`
  const region = process.env.EDGE_ROUTE_TABLE_REGION
  // AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL are read by the SDK itself (tests point them at moto).
  return createS3RouteTableSource(bucket, key, { ...(region ? { region } : {}), forcePathStyle: process.env.EDGE_ROUTE_TABLE_S3_PATH_STYLE === 'true' })
}
