// moto (the AWS emulator) runs in server mode from a cached Python venv, installed once by
// scripts/install-moto.sh.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { cacheDir, repoRoot } from '../paths'
import { findOnPath, overriddenPath, runSetupCommand } from './command'

export const motoVersion = '5.2.5'

export async function ensureMotoServer(): Promise<string> {
  const override = overriddenPath('EDGE_INGRESS_MOTO_SERVER')
  if (override) return override
  const venv = join(cacheDir(), 'moto-venv')
  const server = join(venv, 'bin', 'moto_server')
  if (existsSync(server) && hasPinnedMoto(venv)) return server
  if (!findOnPath('python3')) {
    throw new Error('moto is not installed and python3 is missing: install python3 with venv support (Debian: apt-get install python3-venv)')
  }
  process.stderr.write(`[test-env] installing moto[server]==${motoVersion} into ${venv} (first run only)\n`)
  const output = await runSetupCommand('bash', [join(repoRoot, 'test/env/scripts/install-moto.sh')], {
    ...process.env,
    MOTO_VERSION: motoVersion,
    EDGE_INGRESS_CACHE: cacheDir(),
  })
  const installed = output.trim().split('\n').pop() ?? ''
  if (!existsSync(installed)) throw new Error(`the moto install finished but ${installed || server} is missing`)
  return installed
}

function hasPinnedMoto(venv: string): boolean {
  const lib = join(venv, 'lib')
  if (!existsSync(lib)) return false
  return readdirSync(lib).some((python) => existsSync(join(lib, python, 'site-packages', `moto-${motoVersion}.dist-info`)))
}
