// `edge-ingress routes compile <file-or-dir>... [-o table.json]`: the route table JSON on stdout
// (or written atomically to a file); diagnostics on stderr. Exit code 1 only when the input
// cannot be read or parsed: a table with unresolved backends is still a table.
import { rename, writeFile } from 'node:fs/promises'
import { compileManifestFiles } from '../../manifests/compile-files'
import { formatDiagnostic } from '../../routes/format'

export interface CompileCommandOptions {
  output?: string
  clusterName: string
}

export async function run(paths: string[], options: CompileCommandOptions): Promise<void> {
  const { result, problems, notes } = await compileManifestFiles(paths, { clusterName: options.clusterName })
  for (const p of problems) process.stderr.write(`error: ${p.file}${p.document ? ` (document ${p.document})` : ''}: ${p.message}\n`)
  for (const note of notes) process.stderr.write(`note: ${note}\n`)
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d)}\n`)
  if (problems.length > 0) {
    process.exitCode = 1
    return
  }
  const json = `${JSON.stringify(result.table, null, 2)}\n`
  if (options.output === undefined) {
    process.stdout.write(json)
    return
  }
  // Written next to the target and renamed over it: a reader never sees half a table.
  const temporary = `${options.output}.${process.pid}.tmp`
  await writeFile(temporary, json)
  await rename(temporary, options.output)
  process.stderr.write(`wrote ${options.output} (revision ${result.table.revision})\n`)
}
