// `npm run bench [-- <name>...] [--quick]`: runs test/bench/*.bench.ts one after the other
// and writes test/bench/results/<name>.json plus a summary, results/README.md.
import { readdir, writeFile, mkdir } from 'node:fs/promises'
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
const results: BenchResult[] = []
let failed = false
for (const file of selected) {
  const name = file.replace(/\.bench\.ts$/, '')
  const ctx: BenchContext = { quick, log: (m) => console.error(`[${name}] ${m}`) }
  console.error(`[${name}] running`)
  try {
    const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: (c: BenchContext) => Promise<BenchResult> }
    const result = await mod.default(ctx)
    results.push(result)
    const record = { ...result, date: new Date().toISOString(), node: process.version, quick }
    await writeFile(join(resultsDir, `${name}.json`), JSON.stringify(record, null, 2) + '\n')
    console.log(JSON.stringify(record))
  } catch (error) {
    failed = true
    console.error(`[${name}] failed:`, error)
  }
}

const lines = ['# Benchmark results', '', `Written by \`npm run bench\` on ${new Date().toISOString()} (Node ${process.version}${quick ? ', quick run' : ''}).`, '']
for (const r of results) {
  lines.push(`## ${r.name}`, '', r.method, '', '| metric | value |', '| --- | ---: |')
  for (const [k, v] of Object.entries(r.metrics)) lines.push(`| ${k} | ${v} |`)
  lines.push('', ...r.goals.map((g) => `- ${g.met ? 'met' : 'NOT met'}: ${g.description}`), '')
}
if (wanted.length === 0) await writeFile(join(resultsDir, 'README.md'), lines.join('\n'))
process.exitCode = failed ? 1 : 0
