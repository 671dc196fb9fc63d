// RouteTableSource on S3: a conditional GET (If-None-Match) of the pointer key, so an
// unchanged table costs a 304 and no parse; a changed pointer is followed to the immutable
// revision object it names (see route-table/store-layout.ts). A deleted pointer is a withdrawn
// table. The discovery lists the clusters under the route-table prefix. With
// ./lambda-sources.ts, the only place the edge imports the AWS SDK.
import { GetObjectCommand, ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { POINTER_FILE } from '../route-table/store-layout'
import type { SourceDiscovery } from '../table/cluster-refresher'
import { followPointer } from '../table/follow-pointer'
import type { RouteTableSource, SourceRead } from '../table/route-table-source'

const clientFor = (config: S3ClientConfig | S3Client) => (config instanceof S3Client ? config : new S3Client(config))

export function createS3RouteTableSource(bucket: string, key: string, config: S3ClientConfig | S3Client = {}): RouteTableSource {
  const client = clientFor(config)
  const readKey = async (name: string, abortSignal?: AbortSignal) => {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: name }), { abortSignal })
      return (await out.Body?.transformToString('utf-8')) ?? ''
    } catch (error) {
      if (statusOf(error) === 404) return null
      throw error
    }
  }
  return {
    name: `s3://${bucket}/${key}`,
    withdrawable: true,
    async read(previousTag: string | null, abortSignal?: AbortSignal): Promise<SourceRead> {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key, ...(previousTag ? { IfNoneMatch: previousTag } : {}) }), { abortSignal })
        const text = (await out.Body?.transformToString('utf-8')) ?? ''
        const table = await followPointer(text, key, (name) => readKey(name, abortSignal))
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

/**
 * Every cluster that publishes under `prefix`: ListObjectsV2 with Delimiter '/' gives one common
 * prefix per cluster (`route-tables/<cluster>/`), whose pointer becomes a source. A cluster
 * whose pointer was deleted but whose revisions remain is still listed: its source then reads
 * `missing` and its table leaves the merge.
 */
export function createS3ClusterDiscovery(bucket: string, prefix: string, config: S3ClientConfig | S3Client = {}): SourceDiscovery {
  const client = clientFor(config)
  return {
    name: `s3://${bucket}/${prefix}`,
    async discover(): Promise<RouteTableSource[]> {
      const sources: RouteTableSource[] = []
      let token: string | undefined
      do {
        const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }))
        for (const { Prefix: directory } of out.CommonPrefixes ?? []) {
          if (directory) sources.push(createS3RouteTableSource(bucket, `${directory}${POINTER_FILE}`, client))
        }
        token = out.IsTruncated ? out.NextContinuationToken : undefined
      } while (token)
      return sources
    },
  }
}

function statusOf(error: unknown): number | undefined {
  const name = (error as { name?: string }).name
  if (name === 'NotModified') return 304
  if (name === 'NoSuchKey') return 404
  return (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode
}
