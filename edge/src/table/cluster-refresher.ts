// Keeps the tables of several sources (one per cluster) fresh on runtimes that only run while a
// request is served (Lambda, Lambda@Edge, Workers): `refresh` reads every source at most once
// per interval, all at once, and hands what they publish to ClusterTables, which serves the
// merge with each source's last good table. The sources come from discoveries: a fixed list, or
// a listing done again now and then (S3: every cluster under the route-table prefix). A source
// that is no longer listed, or that withdraws its table (pointer deleted), leaves the merge; one
// that fails or sends garbage keeps its last good table in it. Never throws: failures are
// logged and counted.
import type { Logger } from '../observability/logger'
import type { EdgeMetrics } from '../observability/metrics'
import type { ClusterTables } from './cluster-tables'
import type { RouteTableSource } from './route-table-source'

/** Finds the sources to follow. */
export interface SourceDiscovery {
  /** For logs and metrics, e.g. `s3://bucket/route-tables/`. */
  readonly name: string
  discover(): Promise<RouteTableSource[]>
}

/** Sources given by configuration: always the same list. */
export function fixedSources(sources: RouteTableSource[]): SourceDiscovery {
  return { name: 'configured sources', discover: async () => sources }
}

export interface ClusterRefresherOptions {
  logger: Logger
  metrics: EdgeMetrics
  /** Least time between two reads of the sources. */
  intervalMs: number
  /** Least time between two listings of the discoveries (default: 60 s). */
  discoveryIntervalMs?: number
  now?: () => number
}

interface Followed {
  source: RouteTableSource
  tag: string | null
  missing: boolean
}

export type ClusterRefresher = { refresh(): Promise<void> }

/** Null when there is nothing to follow (a bundled snapshot only). */
export function createClusterRefresher(discoveries: SourceDiscovery[], clusters: ClusterTables, options: ClusterRefresherOptions): ClusterRefresher | null {
  if (discoveries.length === 0) return null
  const { logger, metrics, intervalMs } = options
  const discoveryIntervalMs = options.discoveryIntervalMs ?? 60_000
  const now = options.now ?? Date.now
  const followed = new Map<string, Followed>()
  const listed = new Map<SourceDiscovery, Set<string>>()
  let lastRead = -Infinity
  let lastDiscovery = -Infinity
  let inflight: Promise<void> | null = null

  async function rediscover(): Promise<void> {
    if (now() - lastDiscovery < discoveryIntervalMs) return
    lastDiscovery = now()
    await Promise.all(discoveries.map(async (discovery) => {
      try {
        const found = await discovery.discover()
        listed.set(discovery, new Set(found.map((source) => source.name)))
        for (const source of found) {
          if (followed.has(source.name)) continue
          followed.set(source.name, { source, tag: null, missing: false })
          logger.info({ event: 'route-table-source-followed', source: source.name, by: discovery.name }, 'following a route-table source')
        }
      } catch (error) {
        lastDiscovery = -Infinity // listed again at the next read; what it listed before stays followed
        metrics.sourceRead?.(discovery.name, 'error')
        logger.error({ event: 'route-table-discovery-failed', source: discovery.name, error: message(error) }, 'cannot list the route-table sources; the known ones are still followed')
      }
    }))
    const stillListed = new Set([...listed.values()].flatMap((names) => [...names]))
    for (const name of [...followed.keys()]) {
      if (stillListed.has(name)) continue
      followed.delete(name)
      logger.info({ event: 'route-table-source-unlisted', source: name }, 'route-table source no longer listed')
      await clusters.withdraw(name)
    }
  }

  async function readOne(entry: Followed): Promise<void> {
    const { source } = entry
    try {
      const read = await source.read(entry.tag)
      if (read.kind === 'table') {
        entry.missing = false
        const accepted = await clusters.offer(source.name, read.text)
        // A refused table keeps its tag too: it is not fetched and refused again until it changes.
        entry.tag = read.tag
        metrics.sourceRead?.(source.name, accepted ? 'table' : 'refused')
      } else if (read.kind === 'unchanged') {
        metrics.sourceRead?.(source.name, 'unchanged')
      } else {
        metrics.sourceRead?.(source.name, 'missing')
        entry.tag = null
        const withdrawn = source.withdrawable === true && (await clusters.withdraw(source.name))
        if (!withdrawn && !entry.missing) logger.warn({ event: 'route-table-source-empty', source: source.name }, 'no route table published at the source')
        entry.missing = true
      }
    } catch (error) {
      metrics.sourceRead?.(source.name, 'error')
      logger.error({ event: 'route-table-source-failed', source: source.name, error: message(error) }, 'cannot read the route table source; the last good table keeps serving')
    }
  }

  return {
    /** Resolves when a due read has finished (or at once when none is due). */
    refresh(): Promise<void> {
      if (now() - lastRead < intervalMs) return inflight ?? Promise.resolve()
      lastRead = now()
      inflight ??= (async () => {
        await rediscover()
        await Promise.all([...followed.values()].map(readOne))
      })().finally(() => (inflight = null))
      return inflight
    },
  }
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))
