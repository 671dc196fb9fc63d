// RouteTableSource on S3: a conditional GET (If-None-Match) of the pointer key, so an
// unchanged table costs a 304 and no parse; a changed pointer is followed to the immutable
// revision object it names (see route-table/store-layout.ts). The only place the edge imports
// the AWS SDK.
import { GetObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { clusterTableKey, ROUTE_TABLE_PREFIX } from '../route-table/store-layout'
import { followPointer } from '../table/follow-pointer'
import type { RouteTableSource, SourceRead } from '../table/route-table-source'

export function createS3RouteTableSource(bucket: string, key: string, config: S3ClientConfig = {}): RouteTableSource {
  const client = new S3Client(config)
  const readKey = async (name: string) => {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: name }))
      return (await out.Body?.transformToString('utf-8')) ?? ''
    } catch (error) {
      if (statusOf(error) === 404) return null
      throw error
    }
  }
  return {
    name: `s3://${bucket}/${key}`,
    async read(previousTag: string | null): Promise<SourceRead> {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(previousTag ? { IfNoneMatch: previousTag } : {}) }))
        const text = (await out.Body?.transformToString('utf-8')) ?? ''
        const table = await followPointer(text, key, readKey)
        return { kind: 'table', text: table.text, tag: out.ETag ?? null }
      } catch (error) {
        const status = statusOf(error)
        if (status === 304) return { kind: 'unchanged' }
        if (status === 404) return { kind: 'missing' }
        throw error
      }
    },
  }
}

function statusOf(error: unknown): number | undefined {
  const name = (error as { name?: string }).name
  if (name === 'NotModified') return 304
  if (name === 'NoSuchKey') return 404
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
}

/**
 * The table location of the Lambda runtimes (set by the CDK stack; compiled in with esbuild
 * `define` for Lambda@Edge, which has no environment variables, hence the literal
 * `process.env.X` reads). Null when no bucket is configured.
 */
export function s3SourceFromEnvironment(): RouteTableSource | null {
  const bucket = process.env.EDGE_ROUTE_TABLE_BUCKET
  if (!bucket) return null
  const prefix = process.env.EDGE_ROUTE_TABLE_PREFIX ?? ROUTE_TABLE_PREFIX
  const key = process.env.EDGE_ROUTE_TABLE_KEY ?? clusterTableKey('default', prefix)
  const region = process.env.EDGE_ROUTE_TABLE_REGION
  // AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL are read by the SDK itself (tests point them at moto).
  return createS3RouteTableSource(bucket, key, { ...(region ? { region } : {}), forcePathStyle: process.env.EDGE_ROUTE_TABLE_S3_PATH_STYLE === 'true' })
}
