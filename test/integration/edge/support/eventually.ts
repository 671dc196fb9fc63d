// Polls until a condition holds (never sleep-and-assert): the edge reloads tables asynchronously.
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, what: string, attempts = 300, intervalMs = 25): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe()
    if (ok(value)) return value
    await new Promise((r) => setTimeout(r, intervalMs))
  }
  throw new Error(`timed out waiting for ${what}`)
}
