// A product command run as a user runs it in a terminal: its own process group (so Ctrl-C is
// SIGINT to the whole group, as a terminal sends it), output collected, stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'

export interface RunningCommand {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Exit code, or the signal name; resolves when the command's own process has exited. */
  exited: Promise<number | string>
  /** Resolves once `text` shows on stdout or stderr; rejects if the command exits first or after timeoutMs. */
  waitFor(text: string | RegExp, timeoutMs: number): Promise<void>
  /** Sends a signal to the whole process group, as a terminal does for Ctrl-C. */
  signalGroup(signal: NodeJS.Signals): void
  /** Kills the group (SIGKILL) if anything in it is still alive; for afterAll. */
  kill(): void
}

export function runCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): RunningCommand {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let out = ''
  let err = ''
  child.stdout!.on('data', (d) => (out += String(d)))
  child.stderr!.on('data', (d) => (err += String(d)))
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')))
  let done = false
  void exited.then(() => (done = true))
  const seen = (text: string | RegExp) => {
    const all = out + err
    return typeof text === 'string' ? all.includes(text) : text.test(all)
  }
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async waitFor(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs
      while (!seen(text)) {
        if (done) throw new Error(`${command} ${args.join(' ')} exited before printing ${String(text)}:\n${out}\n${err}`)
        if (Date.now() > deadline) throw new Error(`${command} ${args.join(' ')} did not print ${String(text)} within ${timeoutMs} ms:\n${out}\n${err}`)
        await sleep(50)
      }
    },
    signalGroup(signal) {
      try {
        process.kill(-child.pid!, signal)
      } catch {
        // the group is gone already
      }
    },
    kill() {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        // nothing left
      }
    },
  }
}

/** True while any process of the group is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}
