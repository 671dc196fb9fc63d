import { describe, expect, it } from 'vitest'
import { Coalescer } from './coalescer'

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(ok()).toBe(true)
}

describe('Coalescer', () => {
  it('runs a burst of triggers once, after the window', async () => {
    let runs = 0
    const c = new Coalescer(async () => void runs++, 30)
    for (let i = 0; i < 100; i++) c.trigger()
    expect(runs).toBe(0)
    await until(() => runs === 1)
    await new Promise((r) => setTimeout(r, 60))
    expect(runs).toBe(1)
    await c.stop()
  })

  it('runs once more after a run when triggered during it, never two at a time', async () => {
    let runs = 0
    let running = 0
    let maxRunning = 0
    let release: () => void = () => {}
    const c = new Coalescer(async () => {
      runs++
      running++
      maxRunning = Math.max(maxRunning, running)
      if (runs === 1) await new Promise<void>((r) => (release = r))
      running--
    }, 5)
    c.trigger()
    await until(() => runs === 1)
    for (let i = 0; i < 10; i++) c.trigger()
    release()
    await until(() => runs === 2)
    await new Promise((r) => setTimeout(r, 30))
    expect(runs).toBe(2)
    expect(maxRunning).toBe(1)
    await c.stop()
  })

  it('does nothing after stop, and stop waits for the run in progress', async () => {
    let finished = false
    const c = new Coalescer(async () => {
      await new Promise((r) => setTimeout(r, 30))
      finished = true
    }, 0)
    c.trigger()
    await new Promise((r) => setTimeout(r, 5))
    await c.stop()
    expect(finished).toBe(true)
    finished = false
    c.trigger()
    await new Promise((r) => setTimeout(r, 40))
    expect(finished).toBe(false)
  })
})

describe('Coalescer retries', () => {
  it('runs again after the delay a run asks for, unless a trigger comes sooner', async () => {
    const runs: number[] = []
    let fail = true
    const started = Date.now()
    const c = new Coalescer(async () => {
      runs.push(Date.now() - started)
      return fail ? 5_000 : undefined
    }, 5)
    c.trigger()
    await until(() => runs.length === 1)
    // The retry is 5 s away; a change now must not wait for it.
    fail = false
    c.trigger()
    await until(() => runs.length === 2)
    expect(runs[1]!).toBeLessThan(1_000)
    await new Promise((r) => setTimeout(r, 30))
    expect(runs).toHaveLength(2)
    await c.stop()
  })

  it('retries after the delay when nothing else happens', async () => {
    let runs = 0
    const c = new Coalescer(async () => (++runs === 1 ? 20 : undefined), 0)
    c.trigger()
    await until(() => runs === 2)
    await c.stop()
  })
})
