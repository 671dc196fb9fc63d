// The controller's JSON logger (pino). Credentials never reach a log line: any field that
// could carry one is redacted wherever it appears.
import { pino, type Logger as PinoLogger } from 'pino'

export type Logger = PinoLogger

const secretPaths = ['accessKeyId', 'secretAccessKey', 'sessionToken', 'token', 'password', 'authorization', 'credentials']

export function createLogger(options: { level?: string; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'edge-ingress-controller',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: { paths: [...secretPaths, ...secretPaths.map((p) => `*.${p}`)], censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? process.stdout,
  )
}

export const silentLogger = (): Logger => pino({ level: 'silent' })
