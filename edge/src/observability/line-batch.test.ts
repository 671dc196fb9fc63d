// LineBatch hands the lines of one event-loop turn to its target as one write, in order, and
// loses none when the process exits before the turn's hand-over.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { LineBatch } from './line-batch'

function recordingTarget() {
  const writes: string[] = []
  let synced = 0
  return {
    writes,
    synced: () => synced,
    target: { write: (text: string) => writes.push(text) > 0, flush: (done: () => void) => done(), flushSync: () => void synced++ },
  }
}

describe('LineBatch', () => {
  it('writes the lines of one turn once, after the turn, in order', async () => {
    const { writes, target } = recordingTarget()
    const batch = new LineBatch(target)
    batch.write('a\n')
    batch.write('b\n')
    batch.write('c\n')
    expect(writes).toEqual([])
    await new Promise((resolve) => setImmediate(resolve))
    expect(writes).toEqual(['a\nb\nc\n'])
    batch.write('d\n')
    await new Promise((resolve) => setImmediate(resolve))
    expect(writes).toEqual(['a\nb\nc\n', 'd\n'])
  })

  it('flushSync hands the pending lines over and flushes the target', () => {
    const { writes, synced, target } = recordingTarget()
    const batch = new LineBatch(target)
    batch.write('a\n')
    batch.flushSync()
    expect(writes).toEqual(['a\n'])
    expect(synced()).toBe(1)
  })

  it("pino's flush hands the pending lines over and calls back once the target has flushed", async () => {
    const { writes, target } = recordingTarget()
    const batch = new LineBatch(target)
    batch.write('a\n')
    await new Promise<void>((resolve) => batch.flush(() => resolve()))
    expect(writes).toEqual(['a\n'])
  })

  it('a pino line logged right before process.exit reaches stdout', async () => {
    const script = [
      "import { createPinoLogger } from './edge/src/observability/pino-logger.ts'",
      "const logger = createPinoLogger({ name: 'exit-test', batchLines: true })",
      "for (let i = 0; i < 3; i++) logger.info({ i }, 'line')",
      'process.exit(0)',
    ].join('\n')
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../../..', import.meta.url).pathname })
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l) as { i: number; msg: string; name: string })
    expect(lines.map((l) => l.i)).toEqual([0, 1, 2])
    expect(lines.every((l) => l.msg === 'line' && l.name === 'exit-test')).toBe(true)
  })
})
