// pino behind the Logger port, for Node and Lambda (never bundled for Workers).
import { pino, type DestinationStream, type Logger as Pino } from 'pino'
import { LineBatch } from './line-batch'
import type { Logger } from './logger'

export interface PinoLoggerOptions {
  level?: string
  name?: string
  destination?: DestinationStream
  /** Stdout written once per event-loop turn (line-batch.ts): for a long-running server that logs every request. */
  batchLines?: boolean
}

export function createPinoLogger(options: PinoLoggerOptions = {}): Logger {
  const destination = options.destination ?? (options.batchLines ? new LineBatch(pino.destination({ fd: process.stdout.fd ?? 1, sync: false })) : undefined)
  const logger: Pino = pino({ level: options.level ?? 'info', name: options.name ?? 'edge-ingress-edge' }, destination)
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  }
}
