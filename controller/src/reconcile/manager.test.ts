import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../observability/logger'
import { createMetrics } from '../observability/metrics'
import type { LeaseRecord, LeaseStore, StoredLease } from '../ports/kubernetes'
import { leaseTimings } from './lease-timings'
import { Manager, type ControllerModule } from './manager'

/** A Lease in memory whose writes can be made to fail (the API server out of reach). */
function memoryLease(): LeaseStore & { cut: boolean } {
  let stored: StoredLease | null = null
  let version = 0
  const write = async (record: LeaseRecord) => {
    if (store.cut) throw new Error('unreachable')
    return (stored = { record, resourceVersion: String(++version) })
  }
  const store = { cut: false, get: async () => stored, create: write, update: write }
  return store
}

const until = async (ok: () => boolean, ms = 5_000) => {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10))
  expect(ok()).toBe(true)
}

describe('Manager on a lost lease', () => {
  it('calls onStopOverdue when a module does not stop within what is left of the lease, and not when it stops in time', async () => {
    for (const stopsInTime of [true, false]) {
      const store = memoryLease()
      let overdue = 0
      const messages: string[] = []
      const destination = new Writable({ write: (chunk: Buffer, _e, done) => (messages.push(...chunk.toString().trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg)), done()) })
      const module: ControllerModule = { name: 'm', start: async () => {}, stop: () => (stopsInTime ? Promise.resolve() : new Promise(() => {})) }
      const manager = new Manager({
        informers: [],
        modules: [module],
        leaderElection: { store, identity: 'me', ...leaseTimings(300) },
        logger: createLogger({ level: 'info', destination }),
        metrics: createMetrics({ defaultMetrics: false }).leader,
        onStopOverdue: () => overdue++,
      })
      const stop = new AbortController()
      void manager.run(stop.signal)
      await until(() => manager.isLeader)
      store.cut = true
      await until(() => !manager.isLeader)
      if (stopsInTime) {
        // Once the modules stopped, the deadline is cleared: it can no longer fire.
        await until(() => messages.includes('modules stopped'))
        expect(overdue).toBe(0)
      } else {
        await until(() => overdue === 1)
        expect(messages).toContain('modules did not stop before the lost lease can pass to another replica')
      }
      stop.abort()
    }
  })
})
