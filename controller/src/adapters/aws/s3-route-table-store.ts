// RouteTableStore on S3, in the layout of edge/src/route-table/store-layout.ts: the table goes
// to an immutable key per revision first, then the small pointer at the cluster's table key is
// replaced, so a reader sees the old table or the new one, never a half-written one. Older
// revisions beyond `keep` are deleted afterwards (best effort). The keys stay under the
// cluster's prefix, which is all the controller's IAM policy allows (cdk/lib/route-table-access.ts).
import { DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig, type _Object } from '@aws-sdk/client-s3'
import { clusterPrefix, clusterTableKey, pointerFor, revisionKey, ROUTE_TABLE_PREFIX } from '../../../../edge/src/route-table/store-layout'
import type { RouteTable } from '../../../../edge/src/route-table/types'
import type { Logger } from '../../observability/logger'
import type { RouteTableStore } from '../../ports/route-table-store'
import { errorMessage } from '../../reconcile/errors'

export interface S3StoreOptions {
  bucket: string
  cluster: string
  /** Default `route-tables/`: the prefix the CDK stack grants. */
  prefix?: string
  /** Revisions kept besides the current one (for readers that hold an older pointer, and for rollback). */
  keep?: number
  client: S3ClientConfig
  logger: Logger
  now?: () => Date
}

export class S3RouteTableStore implements RouteTableStore {
  readonly name: string
  private readonly client: S3Client
  private readonly prefix: string
  private readonly pointerKey: string

  constructor(private readonly options: S3StoreOptions) {
    this.client = new S3Client(options.client)
    this.prefix = options.prefix ?? ROUTE_TABLE_PREFIX
    this.pointerKey = clusterTableKey(options.cluster, this.prefix)
    this.name = `s3://${options.bucket}/${this.pointerKey}`
  }

  async publish(table: RouteTable, body: string): Promise<void> {
    const { bucket, cluster } = this.options
    const key = revisionKey(cluster, table.revision, this.prefix)
    await this.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json', CacheControl: 'public, max-age=31536000, immutable' }),
    )
    const pointer = pointerFor(cluster, table.revision, (this.options.now ?? (() => new Date()))(), this.prefix)
    await this.client.send(
      new PutObjectCommand({ Bucket: bucket, Key: this.pointerKey, Body: JSON.stringify(pointer), ContentType: 'application/json', CacheControl: 'no-cache' }),
    )
    await this.prune(key).catch((error: unknown) => this.options.logger.warn({ store: this.name, err: errorMessage(error) }, 'could not delete old route-table revisions'))
  }

  private async prune(current: string): Promise<void> {
    const keep = this.options.keep ?? 10
    const revisions: _Object[] = []
    let token: string | undefined
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: `${clusterPrefix(this.options.cluster, this.prefix)}revisions/`, ContinuationToken: token }),
      )
      revisions.push(...(page.Contents ?? []))
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
    const older = revisions
      .filter((o) => o.Key !== undefined && o.Key !== current)
      .sort((a, b) => (b.LastModified?.getTime() ?? 0) - (a.LastModified?.getTime() ?? 0))
      .slice(keep)
    for (const o of older) await this.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: o.Key }))
  }

  destroy(): void {
    this.client.destroy()
  }
}
