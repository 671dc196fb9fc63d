// `edge-ingress routes check (<file-or-dir>... | --kubeconfig <file>) [--output json]`: validation, conflicts, shadowed
// rules, unresolved backends and unsupported fields, as lines (`<severity>: <object> <field>:
// <message>`, then a summary) or one JSON document. Exit code 1 when there is any error;
// warnings alone (e.g. a Service whose balancer is not provisioned yet) exit 0.
import { compileInput } from './compile-input'
import { formatDiagnostic } from '../../routes/format'
import type { Diagnostic } from '../../routes/results'

export interface CheckCommandOptions {
  clusterName: string
  /** A live cluster instead of manifest files. */
  kubeconfig?: string
  output: 'text' | 'json'
}

export async function run(paths: string[], options: CheckCommandOptions): Promise<void> {
  const { result, problems, notes } = await compileInput(paths, options)
  const diagnostics: Diagnostic[] = [
    ...problems.map((p): Diagnostic => ({ severity: 'error', object: null, field: null, message: `${p.file}${p.document ? ` (document ${p.document})` : ''}: ${p.message}` })),
    ...result.diagnostics,
    ...notes.map((message): Diagnostic => ({ severity: 'info', object: null, field: null, message })),
  ]
  const errors = diagnostics.filter((d) => d.severity === 'error').length
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length
  const routes = result.table.hosts.reduce((n, h) => n + h.routes.length, 0)
  if (options.output === 'json') {
    const report = { ok: errors === 0, errors, warnings, routes, hosts: result.table.hosts.length, revision: result.table.revision, diagnostics, conflicts: result.conflicts }
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`)
  } else {
    const order = { error: 0, warning: 1, info: 2 }
    for (const d of [...diagnostics].sort((a, b) => order[a.severity] - order[b.severity])) process.stdout.write(`${formatDiagnostic(d)}\n`)
    process.stdout.write(`${errors} error(s), ${warnings} warning(s); ${routes} route(s) on ${result.table.hosts.length} host(s)\n`)
  }
  if (errors > 0) process.exitCode = 1
}
