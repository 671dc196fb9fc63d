// moto (the AWS emulator) runs in server mode from a cached Python venv.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { cacheDir } from '../paths'
import { findOnPath, overriddenPath, runSetupCommand } from './command'

export const motoVersion = '5.2.5'

export async function ensureMotoServer(): Promise<string> {
  const override = overriddenPath('EDGE_INGRESS_MOTO_SERVER')
  if (override) return override
  const venv = join(cacheDir(), 'moto-venv')
  const server = join(venv, 'bin', 'moto_server')
  if (existsSync(server) && hasPinnedMoto(venv)) return server
  const python = findOnPath('python3')
  if (!python) {
    throw new Error('moto is not installed and python3 is missing: install python3 with venv support (Debian: apt-get install python3-venv)')
  }
  process.stderr.write(`[test-env] installing moto[server]==${motoVersion} into ${venv} (first run only)\n`)
  if (!existsSync(join(venv, 'bin', 'pip'))) {
    await runSetupCommand(python, ['-m', 'venv', venv]).catch((error: Error) => {
      throw new Error(`${error.message}: python3 -m venv failed; on Debian install python3-venv`)
    })
  }
  await runSetupCommand(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `moto[server]==${motoVersion}`])
  if (!existsSync(server)) throw new Error(`pip installed moto but ${server} is missing`)
  return server
}

function hasPinnedMoto(venv: string): boolean {
  const lib = join(venv, 'lib')
  if (!existsSync(lib)) return false
  return readdirSync(lib).some((python) => existsSync(join(lib, python, 'site-packages', `moto-${motoVersion}.dist-info`)))
}
