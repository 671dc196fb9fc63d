// Counters and histograms for the per-request series of the Node edge, registered in a
// prom-client Registry and printed by it like its own. prom-client hashes the labels object on
// every inc/observe, even through a labels() child (0.3-0.6 us a call, four calls a request);
// here a series is a plain object found once and kept by the caller, and an update is a few
// additions. series-metrics.test.ts holds the text they print to prom-client's Counter and
// Histogram fed the same values.
import type { Histogram, Registry } from 'prom-client'

export interface SeriesCounter {
  inc(): void
}

export interface SeriesHistogram {
  observe(value: number): void
}

interface MetricValue {
  labels: Record<string, string | number>
  value: number
  metricName?: string
}

interface Definition<L extends string> {
  name: string
  help: string
  labelNames: readonly L[]
  registers: Registry[]
}

/** The part of prom-client's metric contract its Registry uses: name, help, type, get(), reset(). */
abstract class SeriesMetric<L extends string, S extends { reset(): void }> {
  readonly aggregator = 'sum'
  abstract readonly type: 'counter' | 'histogram'
  readonly name: string
  readonly help: string
  protected series = new Map<string, { labels: Record<L, string>; state: S }>()

  constructor(private readonly definition: Definition<L>) {
    this.name = definition.name
    this.help = definition.help
    // prom-client's Registry takes any object with this shape (it prints what get() returns).
    for (const registry of definition.registers) registry.registerMetric(this as unknown as Histogram)
  }

  /** The series for these label values, in labelNames order; callers keep it (this lookup builds a key). */
  protected state(values: readonly string[], create: () => S): S {
    const key = values.join('\u0000')
    let entry = this.series.get(key)
    if (entry === undefined) {
      const labels = {} as Record<L, string>
      this.definition.labelNames.forEach((name, i) => (labels[name] = values[i]!))
      entry = { labels, state: create() }
      this.series.set(key, entry)
    }
    return entry.state
  }

  protected abstract values(): MetricValue[]

  async get() {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: this.aggregator }
  }

  /** Zeroes every series in place: the series callers keep go on counting. */
  reset(): void {
    for (const { state } of this.series.values()) state.reset()
  }
}

class CounterState implements SeriesCounter {
  value = 0
  inc(): void {
    this.value++
  }
  reset(): void {
    this.value = 0
  }
}

export class Counters<L extends string> extends SeriesMetric<L, CounterState> {
  readonly type = 'counter'

  /** The counter for these label values (in labelNames order); keep it. */
  at(...values: string[]): SeriesCounter {
    return this.state(values, () => new CounterState())
  }

  protected values(): MetricValue[] {
    return [...this.series.values()].map(({ labels, state }) => ({ value: state.value, labels }))
  }
}

class HistogramState implements SeriesHistogram {
  readonly counts: Float64Array
  sum = 0
  count = 0

  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length)
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) return
    const bounds = this.bounds
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.counts[i]!++
        break
      }
    }
    this.sum += value
    this.count++
  }

  reset(): void {
    this.counts.fill(0)
    this.sum = 0
    this.count = 0
  }
}

export class Histograms<L extends string> extends SeriesMetric<L, HistogramState> {
  readonly type = 'histogram'

  constructor(
    definition: Definition<L>,
    private readonly buckets: readonly number[],
  ) {
    super(definition)
  }

  /** The histogram for these label values (in labelNames order); keep it. */
  at(...values: string[]): SeriesHistogram {
    return this.state(values, () => new HistogramState(this.buckets))
  }

  protected values(): MetricValue[] {
    const out: MetricValue[] = []
    const bucket = `${this.name}_bucket`
    for (const { labels, state } of this.series.values()) {
      let cumulative = 0
      this.buckets.forEach((le, i) => {
        cumulative += state.counts[i]!
        out.push({ labels: { le, ...labels }, value: cumulative, metricName: bucket })
      })
      out.push({ labels: { le: '+Inf', ...labels }, value: state.count, metricName: bucket })
      out.push({ labels: { ...labels }, value: state.sum, metricName: `${this.name}_sum` })
      out.push({ labels: { ...labels }, value: state.count, metricName: `${this.name}_count` })
    }
    return out
  }
}
