// wrk runs with a Lua script that prints its summary as JSON: requests/s, latency percentiles
// and errors. With `rate`, every connection waits between its requests (wrk's delay()) so that
// the whole run offers about `rate` requests per second: a fixed load for latency at half load.
import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

export interface WrkOptions {
  url: string
  connections: number
  seconds: number
  headers?: Record<string, string>
  /** Offered requests/s for the whole run; unset: as fast as the server answers. */
  rate?: number
}

export interface WrkResult {
  requestsPerSecond: number
  requests: number
  /** Latency percentiles in milliseconds. */
  p50: number
  p90: number
  p99: number
  /** Non-2xx/3xx answers, connect/read/write errors and timeouts. */
  errors: number
}

const SUMMARY = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"durationUs":%d,"p50":%d,"p90":%d,"p99":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`

export async function runWrk(wrk: string, dir: string, options: WrkOptions): Promise<WrkResult> {
  const script = join(dir, `wrk-${options.rate ?? 'max'}.lua`)
  // delay() is in ms per request and per connection: c connections at d ms each offer c*1000/d req/s.
  const delay = options.rate === undefined ? '' : `delay = function() return ${Math.max(1, Math.round((options.connections * 1000) / options.rate))} end\n`
  await writeFile(script, delay + SUMMARY)
  const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '5s', '-s', script]
  for (const [name, value] of Object.entries(options.headers ?? {})) args.push('-H', `${name}: ${value}`)
  args.push(options.url)
  const { stdout } = await promisify(execFile)(wrk, args, { maxBuffer: 1 << 20 })
  const line = stdout.split('\n').find((l) => l.startsWith('WRK_JSON '))
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`)
  const raw = JSON.parse(line.slice('WRK_JSON '.length)) as { requests: number; durationUs: number; p50: number; p90: number; p99: number; errors: number }
  return {
    requestsPerSecond: raw.requests / (raw.durationUs / 1e6),
    requests: raw.requests,
    p50: raw.p50 / 1000,
    p90: raw.p90 / 1000,
    p99: raw.p99 / 1000,
    errors: raw.errors,
  }
}

/** The delay per request that run with `rate` used, for the report. */
export const delayMs = (connections: number, rate: number): number => Math.max(1, Math.round((connections * 1000) / rate))
