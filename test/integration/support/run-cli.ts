// Runs the real `edge-ingress` CLI (controller/bin/edge-ingress.js) with plain node and
// returns its exit code and output, whether it succeeds or not.
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

export const CLI = fileURLToPath(new URL('../../../controller/bin/edge-ingress.js', import.meta.url))

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export async function runCli(args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { maxBuffer: 16 << 20 })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as CliResult
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}
