// Diagnostics as the CLI prints them: one line each, `<severity>: <Kind> <ns>/<name> <field>: <message>`.
import type { Diagnostic, ObjectRef } from './results'

export function describeObject(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.object ? describeObject(d.object) : '', d.field ?? ''].filter(Boolean).join(' ')
  const label = d.severity === 'info' ? 'note' : d.severity
  return where ? `${label}: ${where}: ${d.message}` : `${label}: ${d.message}`
}
