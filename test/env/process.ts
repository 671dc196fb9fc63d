// Child processes of the test environment: started with their output in a log file,
// waited on until ready, and always stopped by PID (also on Ctrl-C and process exit).
import { spawn, type ChildProcess } from 'node:child_process'
import { openSync, closeSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { envDirVariable } from './leftovers'
import { setTimeout as sleep } from 'node:timers/promises'

export interface ProcessSpec {
  name: string
  command: string
  args: string[]
  /** The environment's work directory: holds `<name>.log` and marks the process as its own (leftovers.ts). */
  workDir: string
  env?: NodeJS.ProcessEnv
}

export interface ManagedProcess {
  readonly name: string
  readonly pid: number
  readonly logPath: string
  /** Resolves when the process has exited, whatever the reason. */
  readonly exited: Promise<void>
  hasExited(): boolean
  lastLogLines(count?: number): string
  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>
}

const running = new Set<ChildProcess>()
let hooksInstalled = false

export function startProcess(spec: ProcessSpec): ManagedProcess {
  installExitHooks()
  const logPath = join(spec.workDir, `${spec.name}.log`)
  const logFd = openSync(logPath, 'a')
  const child = spawn(spec.command, spec.args, {
    stdio: ['ignore', logFd, logFd],
    env: { ...(spec.env ?? process.env), [envDirVariable]: spec.workDir },
  })
  closeSync(logFd)
  if (child.pid === undefined) throw new Error(`could not start ${spec.name} (${spec.command})`)
  running.add(child)
  let exitedFlag = false
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      exitedFlag = true
      running.delete(child)
      resolve()
    }
    child.once('exit', done)
    child.once('error', done)
  })
  const pid = child.pid
  const lastLogLines = (count = 30) => tailOf(logPath, count)
  return {
    name: spec.name,
    pid,
    logPath,
    exited,
    hasExited: () => exitedFlag,
    lastLogLines,
    async stop(graceMs = 5_000) {
      if (exitedFlag) return
      signal(pid, 'SIGTERM')
      const gone = await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])
      if (!gone) {
        signal(pid, 'SIGKILL')
        await exited
      }
    },
  }
}

export interface ReadyOptions {
  timeoutMs: number
  intervalMs?: number
}

/**
 * Polls `probe` until it returns true. Fails early if the process exits, and on timeout;
 * either error carries the process's last log lines, which usually say what went wrong.
 */
export async function waitUntilReady(proc: ManagedProcess, what: string, probe: () => Promise<boolean>, options: ReadyOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs
  let lastError = ''
  while (Date.now() < deadline) {
    if (proc.hasExited()) throw readinessError(proc, `${proc.name} exited before ${what} was ready`)
    try {
      if (await probe()) return
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error)
    }
    await sleep(options.intervalMs ?? 100)
  }
  // A server that never got ready is of no use to anyone: do not leave it running.
  await proc.stop()
  const detail = lastError ? ` (last probe error: ${lastError})` : ''
  throw readinessError(proc, `${what} not ready after ${options.timeoutMs} ms${detail}`)
}

function readinessError(proc: ManagedProcess, message: string): Error {
  return new Error(`${message}; log ${proc.logPath}, last lines:\n${proc.lastLogLines()}`)
}

function tailOf(path: string, count: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-count).join('\n')
  } catch {
    return '(no log)'
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // already gone
  }
}

// Last line of defence: a child must not outlive this process. 'exit' handlers run
// synchronously, so only SIGKILL fits there. A signal that nobody else handles would kill
// this process without running 'exit' handlers: then we kill the children and re-raise it.
// Whoever else listens (vitest, env:up) stops them gracefully and exits.
function installExitHooks(): void {
  if (hooksInstalled) return
  hooksInstalled = true
  process.once('exit', killAllNow)
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      if (process.listenerCount(sig) > 0) return
      killAllNow()
      process.kill(process.pid, sig)
    })
  }
}

function killAllNow(): void {
  for (const child of running) if (child.pid !== undefined) signal(child.pid, 'SIGKILL')
}
