// A deduplicating work queue, as client-go's: a key waits in the queue at most once; a
// key being processed is never handed to a second worker; a key added while it is being
// processed is marked dirty and queued again when the worker is done with it.
import { KeyBackoff, type BackoffOptions } from './backoff'

export interface WorkQueueOptions {
  backoff: BackoffOptions
  onDepthChange?: (depth: number) => void
}

export class WorkQueue<K = string> {
  private readonly queue: K[] = []
  private readonly queued = new Set<K>()
  private readonly processing = new Set<K>()
  private readonly dirty = new Set<K>()
  private readonly timers = new Map<K, { at: number; timer: NodeJS.Timeout }>()
  private readonly waiters: ((key: K | undefined) => void)[] = []
  private readonly backoff: KeyBackoff<K>
  private shuttingDown = false

  constructor(private readonly options: WorkQueueOptions) {
    this.backoff = new KeyBackoff<K>(options.backoff)
  }

  add(key: K): void {
    if (this.shuttingDown) return
    if (this.processing.has(key)) {
      this.dirty.add(key)
      return
    }
    if (this.queued.has(key)) return
    const waiter = this.waiters.shift()
    if (waiter) {
      this.processing.add(key)
      waiter(key)
      return
    }
    this.queued.add(key)
    this.queue.push(key)
    this.options.onDepthChange?.(this.queue.length)
  }

  /** Adds `key` after `delayMs`; an earlier pending add of the same key wins. */
  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return
    if (delayMs <= 0) return this.add(key)
    const at = Date.now() + delayMs
    const pending = this.timers.get(key)
    if (pending && pending.at <= at) return
    if (pending) clearTimeout(pending.timer)
    const timer = setTimeout(() => {
      this.timers.delete(key)
      this.add(key)
    }, delayMs)
    timer.unref()
    this.timers.set(key, { at, timer })
  }

  /** Requeue after this key's backoff delay; returns the delay. */
  addRateLimited(key: K): number {
    const delay = this.backoff.next(key)
    this.addAfter(key, delay)
    return delay
  }

  /** The key succeeded: its backoff starts over. */
  forget(key: K): void {
    this.backoff.forget(key)
  }

  failures(key: K): number {
    return this.backoff.failuresOf(key)
  }

  /** Resolves with the next key, or undefined once the queue shuts down. */
  get(): Promise<K | undefined> {
    // On shutdown workers finish their current key and stop; what is queued is dropped.
    if (this.shuttingDown) return Promise.resolve(undefined)
    const key = this.queue.shift()
    if (key !== undefined) {
      this.queued.delete(key)
      this.processing.add(key)
      this.options.onDepthChange?.(this.queue.length)
      return Promise.resolve(key)
    }
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** The worker is finished with `key`; a key added meanwhile is queued again. */
  done(key: K): void {
    this.processing.delete(key)
    if (this.dirty.delete(key)) this.add(key)
  }

  get length(): number {
    return this.queue.length
  }

  /** Nothing queued, in progress or waiting for a delayed retry. */
  get idle(): boolean {
    return this.queue.length === 0 && this.processing.size === 0 && this.timers.size === 0
  }

  shutDown(): void {
    this.shuttingDown = true
    for (const { timer } of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
    for (const waiter of this.waiters.splice(0)) waiter(undefined)
  }
}
