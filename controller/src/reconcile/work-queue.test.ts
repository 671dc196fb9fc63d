import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { WorkQueue } from './work-queue'

const newQueue = () => new WorkQueue<string>({ backoff: { baseMs: 1_000, maxMs: 60_000, random: () => 0 } })

describe('WorkQueue', () => {
  it('is idle only with nothing queued, in progress or waiting for a retry', async () => {
    const queue = new WorkQueue<string>({ backoff: { baseMs: 1_000, maxMs: 1_000 } })
    expect(queue.idle).toBe(true)
    queue.add('a')
    expect(queue.idle).toBe(false)
    const key = await queue.get()
    expect(queue.idle).toBe(false)
    queue.addRateLimited(key!)
    queue.done(key!)
    expect(queue.idle).toBe(false)
    queue.shutDown()
    expect(queue.idle).toBe(true)
  })

  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('holds a key once however often it is added', async () => {
    const q = newQueue()
    q.add('a')
    q.add('b')
    q.add('a')
    expect(q.length).toBe(2)
    expect(await q.get()).toBe('a')
    expect(await q.get()).toBe('b')
  })

  it('never hands a key being processed to a second worker, and requeues it when dirty', async () => {
    const q = newQueue()
    q.add('a')
    const first = await q.get()
    q.add('a') // changed while being processed
    const second = q.get()
    let handed: string | undefined
    void second.then((k) => (handed = k))
    await Promise.resolve()
    expect(handed).toBeUndefined()
    q.done(first!)
    expect(await second).toBe('a')
  })

  it('does not requeue a key that was not added while processing', async () => {
    const q = newQueue()
    q.add('a')
    q.done((await q.get())!)
    expect(q.length).toBe(0)
  })

  it('hands a newly added key to a waiting worker at once', async () => {
    const q = newQueue()
    const waiting = q.get()
    q.add('x')
    expect(await waiting).toBe('x')
  })

  it('delays adds, keeping the earliest pending one', async () => {
    const q = newQueue()
    q.addAfter('a', 5_000)
    q.addAfter('a', 10_000)
    q.addAfter('b', 2_000)
    vi.advanceTimersByTime(2_000)
    expect(q.length).toBe(1)
    vi.advanceTimersByTime(3_000)
    expect(q.length).toBe(2)
    vi.advanceTimersByTime(10_000)
    expect(q.length).toBe(2)
  })

  it('backs off exponentially per key until forget', () => {
    const q = newQueue()
    expect([q.addRateLimited('a'), q.addRateLimited('a'), q.addRateLimited('a')]).toEqual([500, 1_000, 2_000])
    expect(q.failures('a')).toBe(3)
    q.forget('a')
    expect(q.addRateLimited('a')).toBe(500)
  })

  it('wakes waiting workers with undefined on shutdown and drops later adds', async () => {
    const q = newQueue()
    const waiting = q.get()
    q.shutDown()
    expect(await waiting).toBeUndefined()
    q.add('a')
    expect(await q.get()).toBeUndefined()
  })
})
