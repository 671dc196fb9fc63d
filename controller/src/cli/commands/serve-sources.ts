// `edge-ingress serve --source <spec>`: where the edge on Node reads published tables from.
//   http(s)://host:port/v1/route-table   the controller's endpoint, long-polled
//   s3://<bucket>/<key>                  a pointer (or a table) in S3, conditional GETs
//   file:<path>                          a file, watched
// The AWS SDK is loaded only when an s3:// source is given.
import { createFileRouteTableSource } from '../../../../edge/src/adapters/file-route-table-source'
import { createHttpRouteTableSource } from '../../../../edge/src/adapters/http-route-table-source'
import type { RouteTableSource } from '../../../../edge/src/table/route-table-source'
import { filePath } from '../../routes/controller/publish-targets'

export interface SourceOptions {
  awsEndpoint?: string
  awsRegion?: string
  /** Long-poll wait of http sources. */
  waitSeconds: number
  /** Bearer token of http sources (--source-token-file). */
  token?: () => Promise<string>
}

export async function createSource(spec: string, options: SourceOptions): Promise<RouteTableSource> {
  if (spec.startsWith('http://') || spec.startsWith('https://')) return createHttpRouteTableSource(spec, { waitSeconds: options.waitSeconds, token: options.token })
  if (spec.startsWith('file:')) return createFileRouteTableSource(filePath(spec, '--source'))
  if (spec.startsWith('s3://')) {
    const rest = spec.slice('s3://'.length)
    const slash = rest.indexOf('/')
    if (slash <= 0 || slash === rest.length - 1) throw new Error(`--source ${spec}: expected s3://<bucket>/<key>`)
    const { createS3RouteTableSource } = await import('../../../../edge/src/adapters/s3-route-table-source')
    const region = options.awsRegion ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1'
    const endpoint = options.awsEndpoint ?? process.env.AWS_ENDPOINT_URL
    return createS3RouteTableSource(rest.slice(0, slash), rest.slice(slash + 1), { region, ...(endpoint ? { endpoint, forcePathStyle: true } : {}) })
  }
  throw new Error(`--source ${spec}: expected http(s)://..., s3://<bucket>/<key> or file:<path>`)
}
