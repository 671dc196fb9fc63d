import { describe, expect, it } from 'vitest'
import { withRevision } from '../route-table/revision'
import type { LogFields } from '../observability/logger'
import type { EdgeMetrics } from '../observability/metrics'
import { RouteTableHolder } from './route-table-holder'
import { route, table } from '../../../test/spec-cases/builder'

function recorder() {
  const lines: { level: string; fields: LogFields; message: string }[] = []
  const loads: [boolean, string | null][] = []
  const log = (level: string) => (fields: LogFields, message: string) => lines.push({ level, fields, message })
  const metrics: EdgeMetrics = { request() {}, upstream() {}, tableLoad: (ok, rev) => loads.push([ok, rev]) }
  return { lines, loads, logger: { info: log('info'), warn: log('warn'), error: log('error') }, metrics }
}
const tableWith = async (host: string) => {
  const { revision: _r, ...content } = table({ [host]: [route({ backend: 'demo/web:80' })] })
  return withRevision(content)
}

describe('RouteTableHolder', () => {
  it('serves nothing before the first table', () => {
    const r = recorder()
    expect(new RouteTableHolder(r.logger, r.metrics).current()).toBeNull()
  })

  it('swaps in a good table and skips one with the same revision', async () => {
    const r = recorder()
    const holder = new RouteTableHolder(r.logger, r.metrics)
    const first = await tableWith('a.example.com')
    expect(holder.load(JSON.stringify(first), 'test')).toEqual({ ok: true, revision: first.revision, changed: true })
    expect(holder.load(first, 'test')).toEqual({ ok: true, revision: first.revision, changed: false })
    expect(holder.current()?.table.revision).toBe(first.revision)
    expect(r.loads).toEqual([[true, first.revision]])
  })

  it('refuses a corrupt table with the JSON path, logs and counts it, and keeps the last good one', async () => {
    const r = recorder()
    const holder = new RouteTableHolder(r.logger, r.metrics)
    const good = await tableWith('a.example.com')
    holder.load(good, 'test')
    const bad = { ...good, hosts: [{ hostname: 'b.example.com', routes: [{ ...good.hosts[0]!.routes[0]!, match: { ...good.hosts[0]!.routes[0]!.match, path: { type: 'Exact', value: 'no-slash' } } }] }] }
    const result = holder.load(bad, 'file:/tmp/t.json')
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error.path).toMatch(/^\$\.hosts\[0\]\.routes\[0\]\.match\.path/)
    expect(holder.current()?.table.revision).toBe(good.revision)
    expect(r.loads.at(-1)).toEqual([false, null])
    expect(r.lines.at(-1)).toMatchObject({ level: 'error', fields: { origin: 'file:/tmp/t.json', serving: good.revision } })
    expect(holder.load('{not json', 'test').ok).toBe(false)
    expect(holder.current()?.table.revision).toBe(good.revision)
  })
})
