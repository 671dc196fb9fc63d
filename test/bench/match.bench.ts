// Match cost at 1k, 10k and 100k routes (ten per host): median nanoseconds per match of the
// indexed matcher against a plain Map.get of host+path in the same process, and the time to
// build the matcher's index. Each size runs in several fresh processes (lib/match-worker.ts):
// one process's heap layout moves both numbers by up to 3x, so one process proves little. Goals
// (issue 2): within 8x of Map.get at 100k routes, growth from 1k to 100k under 3x, build under
// 0.5 s at 100k.
import { fileURLToPath } from 'node:url'
import { runWorker } from './lib/run-worker'
import { median } from './lib/stats'
import { MATCH_REQUESTS as REQUESTS } from './lib/synthetic-table'
import type { BenchContext, BenchResult } from './lib/types'

const SIZES = [1_000, 10_000, 100_000]
/** Fresh processes per size; the result of a size is the median over them. */
const PROCESSES = 5
const worker = fileURLToPath(new URL('./lib/match-worker.ts', import.meta.url))

interface SizeResult {
  matchNs: number
  mapNs: number
  buildMs: number
}

export default async function matchBench(ctx: BenchContext): Promise<BenchResult> {
  const samples = ctx.quick ? 5 : 31
  const buildRuns = ctx.quick ? 3 : 9
  const metrics: Record<string, number | string> = {}
  const processes = ctx.quick ? 1 : PROCESSES
  const rows: (SizeResult & { ratio: number })[] = []
  for (const size of SIZES) {
    const runs: SizeResult[] = []
    for (let i = 0; i < processes; i++) {
      runs.push(await runWorker<SizeResult>(worker, [size, samples, buildRuns]))
    }
    const ratios = runs.map((r) => r.matchNs / r.mapNs)
    const row = { matchNs: median(runs.map((r) => r.matchNs)), mapNs: median(runs.map((r) => r.mapNs)), buildMs: median(runs.map((r) => r.buildMs)), ratio: median(ratios) }
    rows.push(row)
    const label = `${size / 1000}k`
    metrics[`match ns/op at ${label} routes (median)`] = round(row.matchNs)
    metrics[`Map.get ns/op at ${label} (median)`] = round(row.mapNs)
    metrics[`ratio matcher/Map.get at ${label} (median over processes)`] = round(row.ratio)
    metrics[`ratio matcher/Map.get at ${label}, lowest and highest process`] = `${round(Math.min(...ratios))} .. ${round(Math.max(...ratios))}`
    metrics[`index build ms at ${label} (median)`] = round(row.buildMs)
    ctx.log(`${label}: match ${round(row.matchNs)} ns, Map.get ${round(row.mapNs)} ns, ratio ${round(row.ratio)} (${ratios.map(round).join(', ')}), build ${round(row.buildMs)} ms`)
  }
  const first = rows[0]!
  const last = rows[rows.length - 1]!
  const ratio = last.ratio
  const growth = last.matchNs / first.matchNs
  metrics['growth of match ns/op 1k -> 100k'] = round(growth)
  return {
    name: 'match',
    method:
      `The indexed matcher (buildMatcher) on synthetic tables of 1k/10k/100k routes, ten per host (nested prefixes, exact paths, a header and a method match, one host in ten a wildcard), parsed from their JSON text as an edge holds them, ` +
      `asked ${REQUESTS} precomputed normalised requests (web Headers, 5% for hosts in no rule); baseline: Map.get of host+path over one entry per route with the same requests. ` +
      `Each size in ${processes} fresh Node processes, each reporting the median of ${samples} interleaved samples of ns per lookup; a size's figures are the medians over its processes (the ratio: the median of the per-process ratios); build = median of ${buildRuns} index builds of a parsed table, each until every host is indexed (hosts are indexed when first asked: one request per host).`,
    metrics,
    goals: [
      { description: `match within 8x of Map.get at 100k routes (measured ${round(ratio)}x)`, met: ratio <= 8 },
      { description: `growth from 1k to 100k routes under 3x (measured ${round(growth)}x)`, met: growth < 3 },
      { description: `index build under 0.5 s at 100k routes (measured ${round(last.buildMs)} ms)`, met: last.buildMs < 500 },
    ],
  }
}

const round = (n: number) => Math.round(n * 100) / 100
