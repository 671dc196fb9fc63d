// Request log lines as a test reads them: every runtime logs one JSON line per request
// (requestId, route, backend, status, durationMs); tests find a request's line by its id.
import type { LogFields, Logger } from '../../../../edge/src/observability/logger'
import { eventually } from './eventually'

export class CapturedLogs {
  readonly lines: (LogFields & { msg: string })[] = []
  private partial = ''

  /** A Logger port that records instead of printing (in-process runtimes). */
  readonly logger: Logger = {
    info: (fields, msg) => this.lines.push({ level: 'info', ...fields, msg }),
    warn: (fields, msg) => this.lines.push({ level: 'warn', ...fields, msg }),
    error: (fields, msg) => this.lines.push({ level: 'error', ...fields, msg }),
  }

  /** Records JSON lines written to a stream (workerd's stdout); other text is ignored. */
  readText(chunk: string): void {
    const parts = (this.partial + chunk).split('\n')
    this.partial = parts.pop() ?? ''
    for (const part of parts) {
      try {
        const value = JSON.parse(part) as unknown
        if (value && typeof value === 'object' && 'msg' in value) this.lines.push(value as LogFields & { msg: string })
      } catch {
        // not a log line
      }
    }
  }

  requestLine(requestId: string): (LogFields & { msg: string }) | undefined {
    return this.lines.find((l) => l.msg === 'request' && l.requestId === requestId)
  }

  /** Waits for the request line of `requestId` (runtimes that log asynchronously, like workerd). */
  async waitForRequestLine(requestId: string, timeoutMs = 2000): Promise<(LogFields & { msg: string }) | undefined> {
    try {
      return await eventually(async () => this.requestLine(requestId), (line) => line !== undefined, `log line of ${requestId}`, Math.ceil(timeoutMs / 20), 20)
    } catch {
      return undefined
    }
  }
}
