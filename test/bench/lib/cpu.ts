// CPU time of a process (all its threads, user + system) from /proc, for CPU per request:
// a measure of a proxy's own work that does not depend on how fast the client side can go.
import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'

let ticksPerSecond: number | null = null

/** Seconds of CPU the process has used so far. */
export async function cpuSeconds(pid: number): Promise<number> {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
  // The fields after the command name (which may hold spaces); utime and stime are the 14th and 15th of the line.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
}

/** The child processes of `pid` (nginx's workers under its master). */
export async function childPids(pid: number): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')
  return text.trim().split(/\s+/).filter(Boolean).map(Number)
}
