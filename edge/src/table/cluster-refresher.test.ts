// The request-driven multi-cluster refresher with in-memory sources (pure logic; the real S3,
// KV and HTTP sources are tested through the Lambda handler and workerd in test/integration/edge/).
import { describe, expect, it } from 'vitest'
import { route, table } from '../../../test/spec-cases/builder'
import { silentLogger, type LogFields } from '../observability/logger'
import { noMetrics, type SourceReadOutcome } from '../observability/metrics'
import { withRevision } from '../route-table/revision'
import { createClusterRefresher, fixedSources, type SourceDiscovery } from './cluster-refresher'
import { ClusterTables } from './cluster-tables'
import { RouteTableHolder } from './route-table-holder'
import type { RouteTableSource, SourceRead } from './route-table-source'

/** Cluster `c` serves shop.example.com (shared by every cluster) and c.example.com (its own). */
async function clusterTable(c: string) {
  const { revision: _spec, ...content } = table({
    'shop.example.com': [route({ object: 'shop/web', backend: `${c}/web:80` })],
    [`${c}.example.com`]: [route({ object: `${c}/own`, backend: `${c}/own:80` })],
  })
  return JSON.stringify(await withRevision(content))
}

/** A source whose next answer the test sets; it counts its reads. */
function settable(name: string, withdrawable = true) {
  let next: SourceRead | Error = { kind: 'missing' }
  const source: RouteTableSource & { reads: number; answer(a: SourceRead | Error): void } = {
    name,
    withdrawable,
    reads: 0,
    answer: (a) => void (next = a),
    async read() {
      source.reads++
      if (next instanceof Error) throw next
      const answer = next
      if (answer.kind === 'table') next = { kind: 'unchanged' }
      return answer
    },
  }
  return source
}

function world(discoveries: SourceDiscovery[]) {
  const lines: { level: string; fields: LogFields }[] = []
  const log = (level: string) => (fields: LogFields) => void lines.push({ level, fields })
  const logger = { info: log('info'), warn: log('warn'), error: log('error') }
  const outcomes: [string, SourceReadOutcome][] = []
  const metrics = { ...noMetrics, sourceRead: (s: string, o: SourceReadOutcome) => void outcomes.push([s, o]) }
  const holder = new RouteTableHolder(logger, metrics)
  let clock = 0
  const refresher = createClusterRefresher(discoveries, new ClusterTables(holder, logger, metrics), { logger, metrics, intervalMs: 10, discoveryIntervalMs: 100, now: () => clock })!
  const hosts = () => holder.current()?.table.hosts.map((h) => h.hostname).sort() ?? null
  const shopGateways = () => holder.current()?.table.hosts.find((h) => h.hostname === 'shop.example.com')?.routes[0]?.action.backends.map((b) => b.gateway).sort()
  return { lines, outcomes, hosts, shopGateways, refresh: (advanceMs = 10) => ((clock += advanceMs), refresher.refresh()) }
}

describe('createClusterRefresher', () => {
  it('is null without sources', () => {
    const holder = new RouteTableHolder(silentLogger, noMetrics)
    expect(createClusterRefresher([], new ClusterTables(holder, silentLogger, noMetrics), { logger: silentLogger, metrics: noMetrics, intervalMs: 1 })).toBeNull()
  })

  it('merges every source, keeps the last good table of one that fails or sends garbage, and drops one whose table is withdrawn', async () => {
    const a = settable('s3://b/route-tables/a/route-table.json')
    const b = settable('s3://b/route-tables/b/route-table.json')
    const w = world([fixedSources([a, b])])
    a.answer({ kind: 'table', text: await clusterTable('a'), tag: 'a1' })
    b.answer({ kind: 'table', text: await clusterTable('b'), tag: 'b1' })
    await w.refresh()
    expect(w.hosts()).toEqual(['a.example.com', 'b.example.com', 'shop.example.com'])
    expect(w.shopGateways()).toEqual(['gw-a-web-80', 'gw-b-web-80'])

    b.answer(new Error('connection refused'))
    await w.refresh()
    b.answer({ kind: 'table', text: '{"schemaVersion":1,"hosts":"garbage"}', tag: 'b2' })
    await w.refresh()
    expect(w.hosts()).toEqual(['a.example.com', 'b.example.com', 'shop.example.com'])
    expect(w.outcomes.filter(([s]) => s === b.name).map(([, o]) => o)).toEqual(['table', 'error', 'refused'])
    expect(w.lines.map((l) => l.fields.event)).toEqual(expect.arrayContaining(['route-table-source-failed', 'route-table-refused']))

    b.answer({ kind: 'missing' })
    await w.refresh()
    expect(w.hosts()).toEqual(['a.example.com', 'shop.example.com'])
    expect(w.shopGateways()).toEqual(['gw-a-web-80'])
    expect(w.lines.find((l) => l.fields.event === 'route-table-withdrawn')?.fields).toMatchObject({ origin: b.name, remaining: [a.name] })

    // Published again: back in the merge.
    b.answer({ kind: 'table', text: await clusterTable('b'), tag: 'b1' })
    await w.refresh()
    expect(w.shopGateways()).toEqual(['gw-a-web-80', 'gw-b-web-80'])
  })

  it('keeps the table of a source whose "missing" is not a withdrawal (a controller starting)', async () => {
    const a = settable('http://a/v1/route-table', false)
    const b = settable('http://b/v1/route-table', false)
    const w = world([fixedSources([a, b])])
    a.answer({ kind: 'table', text: await clusterTable('a'), tag: '"a1"' })
    b.answer({ kind: 'table', text: await clusterTable('b'), tag: '"b1"' })
    await w.refresh()
    b.answer({ kind: 'missing' })
    await w.refresh()
    await w.refresh()
    expect(w.hosts()).toEqual(['a.example.com', 'b.example.com', 'shop.example.com'])
    expect(w.lines.filter((l) => l.fields.event === 'route-table-source-empty')).toHaveLength(1)
  })

  it('every table withdrawn: an empty table serves (404 for every host), not the last one', async () => {
    const a = settable('kv:a')
    const w = world([fixedSources([a])])
    a.answer({ kind: 'table', text: await clusterTable('a'), tag: 'a1' })
    await w.refresh()
    a.answer({ kind: 'missing' })
    await w.refresh()
    expect(w.hosts()).toEqual([])
  })

  it('follows what a discovery lists, lists again after its interval, drops what is no longer listed, and keeps its sources when listing fails', async () => {
    const sources = { a: settable('s3://b/route-tables/a/route-table.json'), b: settable('s3://b/route-tables/b/route-table.json'), c: settable('s3://b/route-tables/c/route-table.json') }
    for (const c of ['a', 'b', 'c'] as const) sources[c].answer({ kind: 'table', text: await clusterTable(c), tag: c })
    let listing: (keyof typeof sources)[] | Error = ['a', 'b']
    let listings = 0
    const w = world([{ name: 's3://b/route-tables/', discover: async () => (listings++, listing instanceof Error ? Promise.reject(listing) : listing.map((c) => sources[c])) }])
    await w.refresh()
    expect(w.hosts()).toEqual(['a.example.com', 'b.example.com', 'shop.example.com'])

    listing = ['a', 'c']
    await w.refresh(10)
    expect(listings).toBe(1) // not listed again before its interval
    await w.refresh(100)
    expect(listings).toBe(2)
    expect(w.hosts()).toEqual(['a.example.com', 'c.example.com', 'shop.example.com'])
    expect(w.lines.find((l) => l.fields.event === 'route-table-withdrawn')?.fields).toMatchObject({ origin: sources.b.name })

    listing = new Error('AccessDenied')
    await w.refresh(100)
    expect(w.hosts()).toEqual(['a.example.com', 'c.example.com', 'shop.example.com'])
    expect(w.outcomes).toContainEqual(['s3://b/route-tables/', 'error'])
    await w.refresh(10) // a failed listing is tried again at the next read
    expect(listings).toBe(4)
  })

  it('reads at most once per interval, and concurrent refreshes share one read', async () => {
    const a = settable('kv:a')
    a.answer({ kind: 'table', text: await clusterTable('a'), tag: 'a1' })
    const w = world([fixedSources([a])])
    await Promise.all([w.refresh(), w.refresh(0), w.refresh(0)])
    await w.refresh(5)
    expect(a.reads).toBe(1)
    await w.refresh(10)
    expect(a.reads).toBe(2)
  })
})
