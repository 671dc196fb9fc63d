// Where the Lambda runtimes read route tables from, by environment (set by the CDK stack;
// compiled in with esbuild `define` for Lambda@Edge, which has no environment variables, hence
// the literal `process.env.X` reads):
//   EDGE_ROUTE_TABLE_BUCKET      the S3 bucket, and then one of
//     EDGE_ROUTE_TABLE_KEY       one pointer (or table) key,
//     EDGE_ROUTE_TABLE_CLUSTERS  cluster names (comma-separated), each `<prefix><cluster>/route-table.json`,
//     neither                    every cluster under EDGE_ROUTE_TABLE_PREFIX, listed again every
//                                EDGE_ROUTE_TABLE_DISCOVERY_SECONDS (the CDK stack's default)
//   EDGE_ROUTE_TABLE_URLS        controller endpoints (comma-separated), with EDGE_ROUTE_TABLE_TOKEN
// All of them are merged (docs/multi-cluster.md).
import { S3Client } from '@aws-sdk/client-s3'
import type { Logger } from '../observability/logger'
import { clusterTableKey, ROUTE_TABLE_PREFIX } from '../route-table/store-layout'
import { fixedSources, type SourceDiscovery } from '../table/cluster-refresher'
import { configuredList } from '../table/configured-list'
import type { RouteTableSource } from '../table/route-table-source'
import { createHttpRouteTableSource } from './http-route-table-source'
import { createS3ClusterDiscovery, createS3RouteTableSource } from './s3-route-table-source'

export interface LambdaSourceSettings {
  bucket?: string
  prefix?: string
  key?: string
  clusters?: string
  region?: string
  pathStyle?: string
  urls?: string
  token?: string
}

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/

/** The discoveries to follow; empty when nothing is configured (a bundled snapshot only). */
export function lambdaSources(logger: Logger, settings: LambdaSourceSettings = lambdaSettingsFromEnvironment()): SourceDiscovery[] {
  const discoveries: SourceDiscovery[] = []
  if (settings.bucket) {
    const { bucket } = settings
    const given = settings.prefix || ROUTE_TABLE_PREFIX
    const prefix = given.endsWith('/') ? given : `${given}/`
    // AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL are read by the SDK itself (tests point them at moto).
    const client = new S3Client({ ...(settings.region ? { region: settings.region } : {}), forcePathStyle: settings.pathStyle === 'true' })
    if (settings.key) discoveries.push(fixedSources([createS3RouteTableSource(bucket, settings.key, client)]))
    else if (settings.clusters) {
      const names = configuredList(settings.clusters)
      const bad = names.filter((name) => !CLUSTER_NAME.test(name))
      if (bad.length > 0) logger.error({ event: 'route-table-config-invalid', clusters: bad }, 'EDGE_ROUTE_TABLE_CLUSTERS: not cluster names (letters, digits, - _ .); left out')
      discoveries.push(fixedSources(names.filter((name) => CLUSTER_NAME.test(name)).map((name) => createS3RouteTableSource(bucket, clusterTableKey(name, prefix), client))))
    } else discoveries.push(createS3ClusterDiscovery(bucket, prefix, client))
  }
  const urls = configuredList(settings.urls)
  if (urls.length > 0) {
    const sources: RouteTableSource[] = []
    for (const url of urls) {
      try {
        sources.push(createHttpRouteTableSource(url, { waitSeconds: 0, token: settings.token || undefined }))
      } catch (error) {
        logger.error({ event: 'route-table-config-invalid', url, error: String(error) }, 'EDGE_ROUTE_TABLE_URLS: not an http(s) URL; left out')
      }
    }
    discoveries.push(fixedSources(sources))
  }
  return discoveries
}

/** What a Lambda handler follows: `sources` when given, else the one `source` (null: none), else the environment's. */
export function chosenSources(logger: Logger, options: { sources?: SourceDiscovery[]; source?: RouteTableSource | null }): SourceDiscovery[] {
  if (options.sources) return options.sources
  if (options.source === undefined) return lambdaSources(logger)
  return options.source === null ? [] : [fixedSources([options.source])]
}

export function lambdaSettingsFromEnvironment(): LambdaSourceSettings {
  return {
    bucket: process.env.EDGE_ROUTE_TABLE_BUCKET,
    prefix: process.env.EDGE_ROUTE_TABLE_PREFIX,
    key: process.env.EDGE_ROUTE_TABLE_KEY,
    clusters: process.env.EDGE_ROUTE_TABLE_CLUSTERS,
    region: process.env.EDGE_ROUTE_TABLE_REGION,
    pathStyle: process.env.EDGE_ROUTE_TABLE_S3_PATH_STYLE,
    urls: process.env.EDGE_ROUTE_TABLE_URLS,
    token: process.env.EDGE_ROUTE_TABLE_TOKEN,
  }
}

/** Seconds between listings of the clusters under the prefix; default 60. */
export function discoveryIntervalMs(): number {
  const seconds = Number(process.env.EDGE_ROUTE_TABLE_DISCOVERY_SECONDS ?? 60)
  return (Number.isFinite(seconds) && seconds >= 0 ? seconds : 60) * 1000
}
