// `edge-ingress routes explain (<file-or-dir>... | --kubeconfig <file>) (--url <url> [--method M] [-H 'Name: value']... |
// --requests <file.jsonl>)`: one JSON line per request, saying what the edge would do with it.
// A bad requests line gets a line of its own ({"error", "line"}) and exit code 1; the others
// are still explained.
import { readFile } from 'node:fs/promises'
import { buildMatcher } from '../../../../edge/src/route-table/matcher'
import { compileInput } from './compile-input'
import { explainRequest, type ExplainRequest } from '../../routes/explain'
import { formatDiagnostic } from '../../routes/format'

export interface ExplainCommandOptions {
  url?: string
  method: string
  header: string[]
  requests?: string
  clusterName: string
  /** A live cluster instead of manifest files. */
  kubeconfig?: string
}

export async function run(paths: string[], options: ExplainCommandOptions): Promise<void> {
  if ((options.url === undefined) === (options.requests === undefined)) throw new Error('give either --url or --requests')
  const single = options.url !== undefined ? singleRequest(options) : null
  const { result, problems } = await compileInput(paths, options)
  for (const p of problems) process.stderr.write(`error: ${p.file}${p.document ? ` (document ${p.document})` : ''}: ${p.message}\n`)
  for (const d of result.diagnostics.filter((d) => d.severity === 'error')) process.stderr.write(`${formatDiagnostic(d)}\n`)
  if (problems.length > 0) {
    process.exitCode = 1
    return
  }
  const matcher = buildMatcher(result.table)
  const inputs = single !== null ? [single] : parseRequestLines(await readFile(options.requests!, 'utf8'))
  for (const input of inputs) {
    if ('error' in input) {
      process.stdout.write(`${JSON.stringify(input)}\n`)
      process.exitCode = 1
    } else {
      process.stdout.write(`${JSON.stringify(explainRequest(matcher, input))}\n`)
    }
  }
}

/** A bad -H is a usage error (one line on stderr, exit code 2), not a line of output. */
function singleRequest(options: ExplainCommandOptions): ExplainRequest {
  const headers: [string, string][] = []
  for (const header of options.header) {
    const colon = header.indexOf(':')
    if (colon <= 0) throw new Error(`-H ${JSON.stringify(header)}: expected 'Name: value'`)
    headers.push([header.slice(0, colon).trim(), header.slice(colon + 1).trim()])
  }
  return { url: options.url!, method: options.method, headers }
}

function parseRequestLines(text: string): (ExplainRequest | { error: string; line: number })[] {
  const out: (ExplainRequest | { error: string; line: number })[] = []
  text.split('\n').forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch (error) {
      out.push({ error: `not JSON: ${error instanceof Error ? error.message : String(error)}`, line })
      return
    }
    const request = value as { url?: unknown; method?: unknown; headers?: unknown }
    if (typeof value !== 'object' || value === null || typeof request.url !== 'string') {
      out.push({ error: 'expected {"url": "...", "method": "GET", "headers": {...}}', line })
      return
    }
    if (request.method !== undefined && typeof request.method !== 'string') {
      out.push({ error: 'method must be a string', line })
      return
    }
    const headers = request.headers ?? {}
    if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
      out.push({ error: 'headers must be an object of strings', line })
      return
    }
    out.push({ url: request.url, method: (request.method as string | undefined) ?? 'GET', headers: Object.entries(headers as Record<string, string>) })
  })
  return out
}
