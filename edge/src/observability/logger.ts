// The edge's logger port: structured fields plus a message. pino sits behind it on Node and
// Lambda, console JSON on Workers (pino runs in workerd only through its browser build).
export type LogFields = Record<string, unknown>

export interface Logger {
  info(fields: LogFields, message: string): void
  warn(fields: LogFields, message: string): void
  error(fields: LogFields, message: string): void
}

type Level = 'info' | 'warn' | 'error'

/** One JSON object per line on the console: what Workers and CloudWatch ingest best. */
export function createConsoleLogger(base: LogFields = {}, write: (line: string) => void = (line) => console.log(line)): Logger {
  const log = (level: Level) => (fields: LogFields, message: string) =>
    write(JSON.stringify({ level, time: new Date().toISOString(), ...base, ...fields, msg: message }))
  return { info: log('info'), warn: log('warn'), error: log('error') }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
