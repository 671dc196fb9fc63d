// The controller's real pino logger writing into memory instead of stdout, so that a test
// running controller code in process can assert on its JSON log lines.
import { Writable } from 'node:stream'
import { createLogger, type Logger } from '../../../controller/src/observability/logger'

export interface LogRecord {
  level: number
  msg: string
  [field: string]: unknown
}

export function memoryLogger(level = 'debug'): { logger: Logger; logs: LogRecord[] } {
  const logs: LogRecord[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as LogRecord)
      done()
    },
  })
  return { logger: createLogger({ level, destination }), logs }
}
