// `npm run bench [-- <name>...] [--quick]`: runs test/bench/*.bench.ts one after the other
// and writes test/bench/results/<name>.json plus a summary, results/README.md.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join, dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchContext, BenchResult } from './lib/types'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const quick = args.includes('--quick')
const wanted = args.filter((a) => !a.startsWith('--'))
const files = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).sort()
const selected = files.filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')))
if (selected.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; available: ${files.map((f) => f.replace(/\.bench\.ts$/, '')).join(', ')}`)
  process.exit(2)
}

const resultsDir = join(here, 'results')
await mkdir(resultsDir, { recursive: true })
let failed = false
for (const file of selected) {
  const name = file.replace(/\.bench\.ts$/, '')
  const ctx: BenchContext = { quick, log: (m) => console.error(`[${name}] ${m}`) }
  console.error(`[${name}] running`)
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: (c: BenchContext) => Promise<BenchResult> }
    const result = await mod.default(ctx)
    const record = { ...result, date: new Date().toISOString(), node: process.version, quick }
    await writeFile(join(resultsDir, `${name}.json`), JSON.stringify(record, null, 2) + '\n')
    console.log(JSON.stringify(record))
  } catch (error) {
    failed = true
    console.error(`[${name}] failed:`, error)
  }
}

// The summary covers every result on file, so running one benchmark keeps the others' rows.
const recorded: (BenchResult & { date?: string; node?: string; quick?: boolean })[] = []
for (const file of (await readdir(resultsDir)).filter((f) => f.endsWith('.json')).sort()) {
  recorded.push(JSON.parse(await readFile(join(resultsDir, file), 'utf8')) as BenchResult)
}
const lines = ['# Benchmark results', '', 'Written by `npm run bench [-- <name>]` (test/bench/run.ts) from the results/*.json files; each section says when it ran.', '']
for (const r of recorded) {
  lines.push(`## ${r.name}`, '', `Run ${r.date ?? '?'} on Node ${r.node ?? '?'}${r.quick ? ' (quick run)' : ''}. ${r.method}`, '', '| metric | value |', '| --- | ---: |')
  for (const [k, v] of Object.entries(r.metrics)) lines.push(`| ${k} | ${v} |`)
  lines.push('', ...r.goals.map((g) => `- ${g.met ? 'met' : 'NOT met'}: ${g.description}`), '')
}
await writeFile(join(resultsDir, 'README.md'), lines.join('\n'))
process.exitCode = failed ? 1 : 0
