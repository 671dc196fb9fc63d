// The follower and the multi-cluster holder with in-memory sources (the real sources have their
// own tests against real servers): garbage and outages never replace the last good table.
import { describe, expect, it } from 'vitest'
import { silentLogger } from '../observability/logger'
import { noMetrics, type SourceReadOutcome } from '../observability/metrics'
import { withRevision } from '../route-table/revision'
import type { RouteTable } from '../route-table/types'
import { ClusterTables } from './cluster-tables'
import { RouteTableHolder } from './route-table-holder'
import type { RouteTableSource, SourceRead } from './route-table-source'
import { followSource } from './source-follower'

const table = (cluster: string, address: string): Promise<RouteTable> =>
  withRevision({
    schemaVersion: 1,
    gateways: { [`${cluster}/gw`]: { id: `${cluster}/gw`, cluster, address, port: 80, protocol: 'http' } },
    hosts: [
      {
        hostname: 'shop.example.com',
        routes: [
          {
            id: 'HTTPRoute/shop/web/0/0',
            source: { kind: 'HTTPRoute', namespace: 'shop', name: 'web', rule: 0, match: 0, createdAt: '2026-01-01T00:00:00.000Z', cluster },
            wildcard: 'suffix',
            listenerPorts: [],
            match: { path: { type: 'PathPrefix', value: '/' }, method: null, headers: [], query: [] },
            action: { backends: [{ gateway: `${cluster}/gw`, weight: 1, service: { namespace: 'shop', name: 'web', port: 80 }, filters: [] }], filters: [], timeouts: { requestMs: null, backendMs: null }, retry: null },
          },
        ],
      },
    ],
    fallback: null,
  } as never)

/** A source that plays a script of answers, then reports unchanged. */
function scripted(name: string, answers: (SourceRead | Error)[]): RouteTableSource & { tags: (string | null)[] } {
  const tags: (string | null)[] = []
  return {
    name,
    tags,
    async read(tag) {
      tags.push(tag)
      const next = answers.shift() ?? { kind: 'unchanged' }
      if (next instanceof Error) throw next
      return next
    },
  }
}

async function follow(source: RouteTableSource, onTable: (text: string) => boolean | Promise<boolean>, reads: number) {
  const stop = new AbortController()
  const outcomes: SourceReadOutcome[] = []
  const metrics = { ...noMetrics, sourceRead: (_s: string, o: SourceReadOutcome) => (outcomes.push(o), outcomes.length >= reads ? stop.abort() : undefined) }
  await followSource(source, onTable, { logger: silentLogger, metrics, signal: stop.signal }, { intervalMs: 1, minBackoffMs: 1, maxBackoffMs: 2 })
  return outcomes
}

describe('followSource', () => {
  it('loads tables, keeps the last good one through errors and garbage, and keeps the tag of refused text', async () => {
    const holder = new RouteTableHolder(silentLogger, noMetrics)
    const good = await table('a', '192.0.2.1')
    const source = scripted('s', [
      { kind: 'missing' },
      { kind: 'table', text: JSON.stringify(good), tag: 't1' },
      new Error('connection refused'),
      { kind: 'table', text: '{"schemaVersion":1,"hosts":"garbage"', tag: 't2' },
      { kind: 'unchanged' },
    ])
    const outcomes = await follow(source, (text) => holder.load(text, 's').ok, 5)
    expect(outcomes).toEqual(['missing', 'table', 'error', 'refused', 'unchanged'])
    expect(holder.current()?.table.revision).toBe(good.revision)
    expect(source.tags).toEqual([null, null, 't1', 't1', 't2'])
  })
})

describe('followSource with a withdrawable source', () => {
  it('drops the table of a source whose publication is deleted, and reads it afresh when it is back', async () => {
    const holder = new RouteTableHolder(silentLogger, noMetrics)
    const clusters = new ClusterTables(holder, silentLogger, noMetrics)
    const a = await table('a', '192.0.2.1')
    const b = await table('b', '192.0.2.2')
    await clusters.offer('s3://t/a', JSON.stringify(a))
    const source = { ...scripted('s3://t/b', [{ kind: 'table', text: JSON.stringify(b), tag: 'e1' }, { kind: 'missing' }, { kind: 'table', text: JSON.stringify(b), tag: 'e1' }]), withdrawable: true }
    const gateways: string[][] = []
    const stop = new AbortController()
    const metrics = { ...noMetrics, sourceRead: () => (gateways.push(Object.keys(holder.current()!.table.gateways).sort()), gateways.length >= 3 ? stop.abort() : undefined) }
    await followSource(source, (text) => clusters.offer(source.name, text), { logger: silentLogger, metrics, signal: stop.signal, onWithdrawn: () => clusters.withdraw(source.name) }, { intervalMs: 1, minBackoffMs: 1, maxBackoffMs: 2 })
    expect(gateways).toEqual([['a/gw', 'b/gw'], ['a/gw'], ['a/gw', 'b/gw']])
    // After a withdrawal the next read asks without a tag: the same object published again is read.
    expect(source.tags).toEqual([null, 'e1', null])
  })
})

describe('ClusterTables', () => {
  it('serves the merge of every source, and a source that turns bad keeps its last good table in it', async () => {
    const holder = new RouteTableHolder(silentLogger, noMetrics)
    const clusters = new ClusterTables(holder, silentLogger, noMetrics)
    const a = await table('a', '192.0.2.1')
    const b = await table('b', '192.0.2.2')
    expect(await clusters.offer('http://a', JSON.stringify(a))).toBe(true)
    expect(holder.current()?.table.revision).toBe(a.revision)
    expect(await clusters.offer('http://b', JSON.stringify(b))).toBe(true)
    const merged = holder.current()!.table
    const backends = merged.hosts[0]!.routes[0]!.action.backends.map((x) => x.gateway).sort()
    expect(backends).toEqual(['a/gw', 'b/gw'])
    expect(await clusters.offer('http://b', 'not json')).toBe(false)
    expect(holder.current()!.table.revision).toBe(merged.revision)
  })
})
