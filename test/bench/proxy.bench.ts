// Proxy throughput and added latency on loopback: the Node edge (`edge-ingress serve`, one
// process) against nginx configured as the same reverse proxy (one worker, upstream keepalive,
// Host kept, X-Forwarded-*/X-Request-Id set), both in front of the same fast upstream (nginx
// answering 200 itself, so the proxy is the bottleneck). Both log every request to a file as a
// JSON line with the same facts (request id, method, host, path, status, upstream, duration).
// Goals (issue 2): at least 50% of nginx's requests/s; no more than 1 ms added p99 at half load
// (the edge's p99 minus the upstream's own p99 at the same offered rate).
// Also reported: each proxy's CPU per request (its own work, which the requests/s ratio hides
// when the client side limits nginx: wrk, the upstream and the proxy share the machine's cores),
// the edge's latency next to nginx's, and the load average the machine was under.
import { writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { withRevision } from '../../edge/src/route-table/revision'
import { route, table } from '../spec-cases/builder'
import { childPids, cpuSeconds } from './lib/cpu'
import { freePort, startListening, startNginx, workDir, type Started } from './lib/servers'
import { median } from './lib/stats'
import { requireTools } from './lib/tools'
import type { BenchContext, BenchResult } from './lib/types'
import { delayMs, runWrk, type WrkResult } from './lib/wrk'

const HOST = 'bench.test'
const MAX_CONNECTIONS = 50
/** Each connection waits this long between requests at half load; the connection count sets the rate. */
const HALF_LOAD_DELAY_MS = 10
const cli = fileURLToPath(new URL('../../controller/bin/edge-ingress.js', import.meta.url))

async function edgeTable(upstreamPort: number): Promise<string> {
  const { revision: _placeholder, ...content } = table({ [HOST]: [route({ object: 'bench/web', prefix: '/', backend: 'bench/web:80' })] })
  for (const gateway of Object.values(content.gateways)) gateway.port = upstreamPort
  return JSON.stringify(await withRevision(content))
}

/** One request through each server first: a benchmark of 404s or 502s would measure nothing. */
async function expectOk(port: number, what: string): Promise<void> {
  const res = await request(`http://127.0.0.1:${port}/bench`, { headers: { host: HOST } })
  const text = await res.body.text()
  if (res.statusCode !== 200 || text !== 'ok\n') throw new Error(`${what} answered ${res.statusCode} ${text.slice(0, 200)}`)
}

export default async function proxyBench(ctx: BenchContext): Promise<BenchResult> {
  const { wrk, nginx } = requireTools(['wrk', 'nginx'])
  const rounds = ctx.quick ? 1 : 7
  const seconds = ctx.quick ? 2 : 5
  const dir = await workDir('proxy')
  const started: Started[] = []
  try {
    const [upstreamPort, nginxPort, edgePort, adminPort] = [await freePort(), await freePort(), await freePort(), await freePort()]
    started.push(await startNginx('upstream', nginx, dir, upstreamPort, `  access_log off;\n  server { listen 127.0.0.1:${upstreamPort}; location / { return 200 "ok\\n"; } }`))
    const nginxProxy = await startNginx(
      'nginx-proxy',
      nginx,
      dir,
      nginxPort,
      `  log_format edge escape=json '{"time":$msec,"requestId":"$request_id","method":"$request_method","host":"$host","path":"$uri","status":$status,"upstream":"$upstream_addr","seconds":$request_time,"msg":"request"}';
  access_log ${dir}/nginx-proxy.access.log edge;
  upstream gateway { server 127.0.0.1:${upstreamPort}; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${nginxPort};
    location / {
      proxy_pass http://gateway;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $http_host;
      proxy_set_header X-Request-Id $request_id;
    }
  }`,
    )
    started.push(nginxProxy)
    const tableFile = join(dir, 'table.json')
    await writeFile(tableFile, await edgeTable(upstreamPort))
    const edge = await startListening('edge', dir, process.execPath, [cli, 'serve', '--routes', tableFile, '--port', String(edgePort), '--admin-port', String(adminPort)], edgePort)
    started.push(edge)
    await expectOk(upstreamPort, 'the upstream')
    await expectOk(nginxPort, 'nginx')
    await expectOk(edgePort, 'the edge')

    const url = (port: number) => `http://127.0.0.1:${port}/bench`
    const load = (port: number, extra: { connections?: number; rate?: number; seconds?: number } = {}) =>
      runWrk(wrk, dir, { url: url(port), connections: extra.connections ?? MAX_CONNECTIONS, seconds: extra.seconds ?? seconds, headers: { Host: HOST }, rate: extra.rate })
    const clean = (r: WrkResult, what: string) => {
      if (r.errors > 0) throw new Error(`${what}: ${r.errors} errors or non-2xx answers in ${r.requests} requests`)
      return r
    }

    const loadAtStart = loadavg()[0]!
    ctx.log('warming up')
    await load(nginxPort, { seconds: 3 })
    await load(edgePort, { seconds: 3 })
    // The process that does nginx's proxying is its one worker; the edge is one process.
    const pids = { nginx: (await childPids(nginxProxy.pid))[0]!, edge: edge.pid }

    // Full load, rounds interleaved so that machine noise hits both alike.
    const full = { nginx: [] as WrkResult[], edge: [] as WrkResult[] }
    const cpuPerRequest = { nginx: [] as number[], edge: [] as number[] }
    const measured = async (name: 'nginx' | 'edge', port: number) => {
      const before = await cpuSeconds(pids[name])
      const result = clean(await load(port), name)
      cpuPerRequest[name].push(((await cpuSeconds(pids[name])) - before) / result.requests)
      full[name].push(result)
    }
    for (let i = 0; i < rounds; i++) {
      await measured('nginx', nginxPort)
      await measured('edge', edgePort)
      ctx.log(`full load round ${i + 1}: nginx ${Math.round(full.nginx[i]!.requestsPerSecond)} req/s, edge ${Math.round(full.edge[i]!.requestsPerSecond)} req/s`)
    }
    const nginxRps = median(full.nginx.map((r) => r.requestsPerSecond))
    const edgeRps = median(full.edge.map((r) => r.requestsPerSecond))
    const cpuUs = { nginx: median(cpuPerRequest.nginx) * 1e6, edge: median(cpuPerRequest.edge) * 1e6 }

    // Half load: half the edge's own maximum, offered at a fixed rate to the upstream alone, nginx and the edge.
    const connections = Math.max(1, Math.round((edgeRps / 2) * (HALF_LOAD_DELAY_MS / 1000)))
    const half = { upstream: [] as WrkResult[], nginx: [] as WrkResult[], edge: [] as WrkResult[] }
    for (let i = 0; i < rounds; i++) {
      for (const [name, port] of [['upstream', upstreamPort], ['nginx', nginxPort], ['edge', edgePort]] as const) {
        half[name].push(clean(await load(port, { connections, rate: (connections * 1000) / HALF_LOAD_DELAY_MS }), `${name} at half load`))
      }
      ctx.log(`half load round ${i + 1}: p99 upstream ${half.upstream[i]!.p99} ms, nginx ${half.nginx[i]!.p99} ms, edge ${half.edge[i]!.p99} ms`)
    }
    const p99 = (rs: WrkResult[]) => median(rs.map((r) => r.p99))
    const p50 = (rs: WrkResult[]) => median(rs.map((r) => r.p50))
    const ratio = edgeRps / nginxRps
    // Paired per round (the same minute of machine noise on both sides), then the median.
    const added = (through: WrkResult[], pick: (r: WrkResult) => number) => median(through.map((r, i) => pick(r) - pick(half.upstream[i]!)))
    const addedP99 = added(half.edge, (r) => r.p99)
    const edgeOverNginxP99 = median(half.edge.map((r, i) => r.p99 - half.nginx[i]!.p99))
    const loadAtEnd = loadavg()[0]!
    const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits
    return {
      name: 'proxy',
      method:
        `wrk (1 thread, ${MAX_CONNECTIONS} connections, ${seconds} s per run, ${rounds} interleaved rounds, medians) on 127.0.0.1 against the Node edge (\`edge-ingress serve\`, one process, undici keep-alive pool, pino request line to a file) ` +
        `and nginx (1 worker, upstream keepalive 64, same headers set, a JSON access-log line with the same facts to a file), both in front of nginx answering 200 itself, 3 s of warm-up each. ` +
        `CPU per request: the proxy process's user + system time (/proc) over each full-load run divided by its requests (nginx: its worker). ` +
        `Half load: wrk has no fixed-rate mode (no wrk2 in Debian), so each of ${connections} connections waits ${delayMs(connections, (connections * 1000) / HALF_LOAD_DELAY_MS)} ms between requests (wrk's delay()), ` +
        `offering about half the edge's maximum; added p99 = p99 through the edge minus p99 of the upstream alone at the same offered load, in the same round, median over rounds. ` +
        `The machine's 1-minute load average was ${round(loadAtStart, 1)} at the start and ${round(loadAtEnd, 1)} at the end (2 cores, shared with other work): both rates depend on it, nginx's more, since wrk, the upstream and nginx need both cores between them while the edge is bound by its one thread; compare ratios only between runs under similar load.`,
      metrics: {
        'edge/nginx requests/s ratio': round(ratio, 3),
        'edge requests/s (median, full load)': Math.round(edgeRps),
        'nginx requests/s (median, full load)': Math.round(nginxRps),
        'CPU us per request at full load: edge (median)': round(cpuUs.edge, 1),
        'CPU us per request at full load: nginx (median)': round(cpuUs.nginx, 1),
        'nginx/edge CPU per request ratio': round(cpuUs.nginx / cpuUs.edge, 3),
        'half load offered requests/s': Math.round((connections * 1000) / HALF_LOAD_DELAY_MS),
        'half load achieved requests/s through the edge (median)': Math.round(median(half.edge.map((r) => r.requestsPerSecond))),
        'p99 ms at half load: upstream alone (median)': round(p99(half.upstream), 3),
        'p99 ms at half load: nginx (median)': round(p99(half.nginx), 3),
        'p99 ms at half load: edge (median)': round(p99(half.edge), 3),
        'p50 ms at half load: edge (median)': round(p50(half.edge), 3),
        'added p99 ms by the edge at half load (median of per-round differences)': round(addedP99, 3),
        'added p99 ms by nginx at half load (median of per-round differences)': round(added(half.nginx, (r) => r.p99), 3),
        'added p50 ms by the edge at half load': round(added(half.edge, (r) => r.p50), 3),
        'added p50 ms by nginx at half load': round(added(half.nginx, (r) => r.p50), 3),
        'added p90 ms by the edge at half load': round(added(half.edge, (r) => r.p90), 3),
        'added p90 ms by nginx at half load': round(added(half.nginx, (r) => r.p90), 3),
        'p99 ms at half load: edge minus nginx (median of per-round differences)': round(edgeOverNginxP99, 3),
        'load average (1 min) at start': round(loadAtStart, 2),
        'load average (1 min) at end': round(loadAtEnd, 2),
      },
      goals: [
        { description: `edge at least 50% of nginx's requests/s (measured ${round(ratio * 100, 1)}%)`, met: ratio >= 0.5 },
        { description: `edge adds no more than 1 ms to p99 at half load (measured ${round(addedP99, 3)} ms)`, met: addedP99 <= 1 },
      ],
    }
  } finally {
    for (const server of started.reverse()) await server.stop()
  }
}
