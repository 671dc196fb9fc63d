// pino behind the Logger port, for Node and Lambda (never bundled for Workers).
import { pino, type DestinationStream, type Logger as Pino } from 'pino'
import type { Logger } from './logger'

export function createPinoLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  const logger: Pino = pino({ level: options.level ?? 'info', name: options.name ?? 'edge-ingress-edge' }, options.destination)
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  }
}
