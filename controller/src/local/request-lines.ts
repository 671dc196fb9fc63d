// Local mode's log: one short line per request on stderr instead of JSON, e.g.
//   GET api.example.com/ 200 -> demo/api-stable:80 (2.1 ms)
// Warnings and errors are shown as their message and fields; other info lines (table loaded)
// are left out, the command reports those itself.
import type { LogFields, Logger } from '../../../edge/src/observability/logger'

export function requestLineLogger(write: (line: string) => void): Logger {
  const line = (level: string) => (fields: LogFields, message: string) => {
    if (typeof fields.method === 'string' && 'status' in fields) {
      const backend = typeof fields.backend === 'string' ? ` -> ${fields.backend}` : ''
      write(`  ${fields.method} ${String(fields.host ?? '?')}${String(fields.path ?? '')} ${String(fields.status ?? '-')}${backend} (${String(fields.durationMs ?? '?')} ms)`)
      return
    }
    if (level === 'info') return
    const details = Object.entries(fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ')
    write(`  ${level}: ${message}${details ? ` ${details}` : ''}`)
  }
  return { info: line('info'), warn: line('warn'), error: line('error') }
}
