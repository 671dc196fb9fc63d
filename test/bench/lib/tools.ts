// External programs a benchmark needs (wrk, nginx): found on PATH or a clear error that says
// how to get them. Nothing is installed behind the user's back.
import { execFileSync } from 'node:child_process'

const HOW = 'install them with `apt-get install -y wrk nginx` (Debian/Ubuntu)'

export function requireTools<Name extends string>(names: Name[]): Record<Name, string> {
  const found = {} as Record<Name, string>
  const missing: string[] = []
  for (const name of names) {
    try {
      found[name] = execFileSync('sh', ['-c', `command -v ${name} || ls /usr/sbin/${name} 2>/dev/null`], { encoding: 'utf8' }).trim().split('\n')[0]!
      if (!found[name]) missing.push(name)
    } catch {
      missing.push(name)
    }
  }
  if (missing.length > 0) throw new Error(`the benchmark needs ${missing.join(' and ')}, not found on PATH: ${HOW}`)
  return found
}
