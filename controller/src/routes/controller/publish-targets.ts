// `--publish` values of `edge-ingress controller`: where the route table goes.
//   http                     the controller's endpoint (GET /v1/route-table at --route-table-address)
//   s3://<bucket>[/<prefix>] the bucket, under <prefix> (default route-tables/) + <cluster>/
//   file:<path>              a local file, replaced atomically
import { ROUTE_TABLE_PREFIX } from '../../../../edge/src/route-table/store-layout'

export type PublishTarget = { kind: 'http' } | { kind: 's3'; bucket: string; prefix: string } | { kind: 'file'; path: string }

export function parsePublishTarget(text: string): PublishTarget {
  const value = text.trim()
  if (value === 'http') return { kind: 'http' }
  if (value.startsWith('s3://')) {
    const rest = value.slice('s3://'.length)
    const slash = rest.indexOf('/')
    const bucket = slash < 0 ? rest : rest.slice(0, slash)
    const prefix = slash < 0 || slash === rest.length - 1 ? ROUTE_TABLE_PREFIX : `${rest.slice(slash + 1).replace(/\/+$/, '')}/`
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new Error(`--publish ${text}: "${bucket}" is not an S3 bucket name`)
    return { kind: 's3', bucket, prefix }
  }
  if (value.startsWith('file:')) return { kind: 'file', path: filePath(value, '--publish') }
  throw new Error(`--publish ${text}: expected http, s3://<bucket>[/<prefix>] or file:<path>`)
}

/** The path of `file:<path>` or `file:///<path>`. */
export function filePath(spec: string, flag: string): string {
  const path = spec.startsWith('file://') ? decodeURIComponent(new URL(spec).pathname) : spec.slice('file:'.length)
  if (path === '') throw new Error(`${flag} ${spec}: no file path`)
  return path
}
