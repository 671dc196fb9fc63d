// Running setup commands (installers, builds) and finding executables on PATH.
import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/** Full path of an executable found on PATH, or undefined. */
export function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/**
 * Runs a setup command, showing its progress on our stderr (first runs take minutes and
 * a silent wait looks like a hang), and returns its stdout.
 */
export function runSetupCommand(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'], env })
    let stdout = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.once('error', (error) => reject(new Error(`${command} could not run: ${error.message}`)))
    child.once('exit', (code, signal) => {
      if (code === 0) resolve(stdout)
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`))
    })
  })
}

/** A tool path given in an environment variable (EDGE_INGRESS_ETCD...), checked to exist. */
export function overriddenPath(variable: string): string | undefined {
  const value = process.env[variable]
  if (!value) return undefined
  if (!existsSync(value)) throw new Error(`${variable}=${value} does not exist`)
  return value
}
