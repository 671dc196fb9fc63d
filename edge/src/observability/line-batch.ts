// A pino destination for a busy event loop: the lines logged during one turn go to sonic-boom
// as one string, right after the turn (setImmediate), instead of one sonic-boom write per line.
// sonic-boom measures its whole pending buffer again on every write (Buffer.byteLength of a
// growing string), which at thousands of request lines a second cost the Node edge more than
// building the lines (test/bench/proxy.bench.ts). sonic-boom still does the writing: async,
// partial writes, EAGAIN, and the flush when the process exits.
import type { DestinationStream } from 'pino'

/** What LineBatch needs of sonic-boom (pino.destination's stream). */
export interface LineTarget {
  write(text: string): boolean
  flush(callback: (error?: Error | null) => void): void
  flushSync(): void
}

export class LineBatch implements DestinationStream {
  private lines: string[] = []
  private scheduled = false

  constructor(private readonly target: LineTarget) {
    // Lines of the last turn before an exit would otherwise wait for an immediate that never runs.
    process.on('exit', () => this.flushSync())
  }

  write(line: string): boolean {
    this.lines.push(line)
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(handOver, this)
    }
    return true
  }

  /** pino's logger.flush(): the pending lines to the target, then the target's own flush. */
  flush(callback: (error?: Error | null) => void = () => {}): void {
    this.handOver()
    this.target.flush(callback)
  }

  flushSync(): void {
    this.handOver()
    this.target.flushSync()
  }

  handOver(): void {
    this.scheduled = false
    if (this.lines.length === 0) return
    const text = this.lines.length === 1 ? this.lines[0]! : this.lines.join('')
    this.lines = []
    this.target.write(text)
  }
}

const handOver = (batch: LineBatch) => batch.handOver()
