// Clean-up of environments whose owner died without stopping them (SIGKILL, OOM, a CI
// timeout): their servers would keep running and their temp directories would pile up.
// Each server carries its environment's directory in EDGE_INGRESS_TEST_ENV_DIR, so a
// leftover process is recognised for certain before it is killed by PID.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const envDirVariable = 'EDGE_INGRESS_TEST_ENV_DIR'
export const workDirPrefix = 'edge-ingress-'
const ownerFile = 'owner.json'

export function claimWorkDir(workDir: string): void {
  writeFileSync(join(workDir, ownerFile), JSON.stringify({ pid: process.pid }))
}

/** Kills the servers of environments whose owning process is gone, and removes their directories. */
export function reapLeftoverEnvironments(): string[] {
  const reaped: string[] = []
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(workDirPrefix)) continue
    const dir = join(tmpdir(), entry)
    const owner = readOwner(dir)
    if (owner === undefined || isAlive(owner)) continue
    for (const pid of processesOfEnvironment(dir)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // exited meanwhile
      }
    }
    rmSync(dir, { recursive: true, force: true })
    reaped.push(dir)
  }
  return reaped
}

function readOwner(dir: string): number | undefined {
  const path = join(dir, ownerFile)
  if (!existsSync(path)) return undefined
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { pid: number }).pid
  } catch {
    return undefined
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Pids of the running processes started for the environment in `dir` (Linux /proc). */
export function processesOfEnvironment(dir: string): number[] {
  if (!existsSync('/proc')) return []
  const marker = `${envDirVariable}=${dir}\0`
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (`${readFileSync(`/proc/${entry}/environ`, 'latin1')}\0`.includes(marker)) pids.push(Number(entry))
    } catch {
      // gone, or not ours to read
    }
  }
  return pids
}
