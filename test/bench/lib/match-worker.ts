// One size of the match benchmark in a process of its own (so that one size's garbage and heap
// do not tax the next): `node --import tsx match-worker.ts <routes> <samples> <buildRuns>`
// prints {matchNs, mapNs, buildMs} as JSON.
import { buildMatcher } from '../../../edge/src/route-table/matcher'
import { median } from './stats'
import { MATCH_REQUESTS as REQUESTS, syntheticRequests, syntheticTable } from './synthetic-table'



/** Nanoseconds per call of one pass of `run` over `count` items. */
function nsPerCall(count: number, run: () => number): { ns: number; sink: number } {
  const start = process.hrtime.bigint()
  const sink = run()
  return { ns: Number(process.hrtime.bigint() - start) / count, sink }
}

function measure(size: number, samples: number, buildRuns: number) {
  const table = syntheticTable(size)
  const requests = syntheticRequests(size, REQUESTS)
  const buildTimes: number[] = []
  let matcher = buildMatcher(table)
  for (let i = 0; i < buildRuns; i++) {
    const start = performance.now()
    matcher = buildMatcher(table)
    buildTimes.push(performance.now() - start)
  }
  // The baseline: one Map entry per route (host + path), asked the same host + path keys.
  const map = new Map<string, number>()
  table.hosts.forEach((vhost, h) => vhost.routes.forEach((r, i) => map.set(vhost.hostname + r.match.path.value, h * 16 + i)))
  const keys = requests.map((r) => r.key)
  const asked = requests.map((r) => r.request)
  const runMatcher = () => {
    let found = 0
    for (const request of asked) if (matcher.match(request).kind !== 'none') found++
    return found
  }
  const runMap = () => {
    let found = 0
    for (const key of keys) if (map.get(key) !== undefined) found++
    return found
  }
  let sink = 0
  // Warm both up so the JIT has compiled them, then interleave samples so noise hits both alike.
  for (let i = 0; i < 5; i++) sink += nsPerCall(asked.length, runMatcher).sink + nsPerCall(keys.length, runMap).sink
  const matchSamples: number[] = []
  const mapSamples: number[] = []
  for (let i = 0; i < samples; i++) {
    const m = nsPerCall(asked.length, runMatcher)
    const b = nsPerCall(keys.length, runMap)
    matchSamples.push(m.ns)
    mapSamples.push(b.ns)
    sink += m.sink + b.sink
  }
  return { matchNs: median(matchSamples), mapNs: median(mapSamples), buildMs: median(buildTimes), hits: sink }
}

const [size, samples, buildRuns] = process.argv.slice(2).map(Number)
process.stdout.write(`${JSON.stringify(measure(size!, samples!, buildRuns!))}\n`)
