// The series metrics print what prom-client's own Counter and Histogram print for the same
// updates, through the same Registry.
import { Counter, Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { Counters, Histograms } from './series-metrics'

const buckets = [0.001, 0.01, 0.1, 1]

async function text(registry: Registry): Promise<string> {
  return registry.metrics()
}

describe('series metrics', () => {
  it('a counter by labels prints as prom-client Counter does', async () => {
    const ours = new Registry()
    const theirs = new Registry()
    const counters = new Counters({ name: 'x_total', help: 'help "text"', labelNames: ['route', 'status'], registers: [ours] })
    const counter = new Counter({ name: 'x_total', help: 'help "text"', labelNames: ['route', 'status'], registers: [theirs] })
    for (const [route, status, times] of [['a/0', '200', 3], ['b"\\\n', '502', 1], ['a/0', '404', 2]] as const) {
      const series = counters.at(route, status)
      for (let i = 0; i < times; i++) {
        series.inc()
        counter.labels(route, status).inc()
      }
    }
    expect(await text(ours)).toBe(await text(theirs))
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON())
  })

  it('a histogram, with and without labels, prints as prom-client Histogram does', async () => {
    const ours = new Registry()
    const theirs = new Registry()
    const plain = new Histograms({ name: 'd_seconds', help: 'h', labelNames: [], registers: [ours] }, buckets).at()
    const byGateway = new Histograms({ name: 'u_seconds', help: 'h', labelNames: ['gateway', 'status'], registers: [ours] }, buckets)
    const plainTheirs = new Histogram({ name: 'd_seconds', help: 'h', buckets, registers: [theirs] })
    const byGatewayTheirs = new Histogram({ name: 'u_seconds', help: 'h', labelNames: ['gateway', 'status'], buckets, registers: [theirs] })
    expect(await text(ours)).toBe(await text(theirs))
    for (const value of [0.0005, 0.001, 0.002, 0.05, 0.5, 1, 7, 0]) {
      plain.observe(value)
      plainTheirs.observe(value)
      for (const [gateway, status] of [['gw-a', '200'], ['gw-b', '0']] as const) {
        byGateway.at(gateway, status).observe(value * 2)
        byGatewayTheirs.labels(gateway, status).observe(value * 2)
      }
    }
    expect(await text(ours)).toBe(await text(theirs))
  })

  it('reset zeroes the series, which keep counting afterwards', async () => {
    const registry = new Registry()
    const series = new Counters({ name: 'r_total', help: 'h', labelNames: ['k'], registers: [registry] }).at('v')
    series.inc()
    registry.resetMetrics()
    series.inc()
    expect(await text(registry)).toContain('r_total{k="v"} 1')
  })
})
