// One size of the match benchmark in a process of its own (so that one size's garbage and heap
// do not tax the next): `node --import tsx match-worker.ts <routes> <samples> <buildRuns>`
// prints {matchNs, mapNs, buildMs} as JSON.
import { buildMatcher } from '../../../edge/src/route-table/matcher'
import type { RouteTable } from '../../../edge/src/route-table/types'
import { median } from './stats'
import { MATCH_REQUESTS as REQUESTS, requestPerHost, syntheticRequests, syntheticTable } from './synthetic-table'

/** Nanoseconds per call of one pass of `run` over `count` items. */
function nsPerCall(count: number, run: () => number): { ns: number; sink: number } {
  const start = process.hrtime.bigint()
  const sink = run()
  return { ns: Number(process.hrtime.bigint() - start) / count, sink }
}

function measure(size: number, samples: number, buildRuns: number) {
  // The table as every edge holds it: parsed from JSON text (table files, S3, KV, HTTP; the bundled
  // snapshot is JSON too). Built by code, its names would be concatenated (cons) strings, which
  // cost the matcher's lookups extra and never occur in an edge.
  const table: RouteTable = JSON.parse(JSON.stringify(syntheticTable(size)))
  const requests = syntheticRequests(size, REQUESTS)
  // A host is indexed when a request first selects it (host-routes.ts): a build is timed until
  // every host has been, by one request each.
  const everyHost = requestPerHost(size)
  const build = () => {
    const built = buildMatcher(table)
    for (const request of everyHost) built.match(request)
    return built
  }
  const buildTimes: number[] = []
  let matcher = build()
  for (let i = 0; i < buildRuns; i++) {
    const start = performance.now()
    matcher = build()
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
