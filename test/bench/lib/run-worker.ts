// Runs one benchmark worker in a fresh Node process (so that no earlier measurement's heap or
// JIT state leaks into it) and reads the JSON line it prints.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

export async function runWorker<T>(worker: string, args: readonly (string | number)[]): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', worker, ...args.map(String)], { maxBuffer: 1 << 20 })
  return JSON.parse(stdout) as T
}
