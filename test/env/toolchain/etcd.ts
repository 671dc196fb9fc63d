// etcd comes from Debian's etcd-server package; installed here when we are allowed to.
import { existsSync } from 'node:fs'
import { findOnPath, overriddenPath, runSetupCommand } from './command'

export async function ensureEtcd(): Promise<string> {
  const found = locateEtcd()
  if (found) return found
  const sudo = await privilegeForApt()
  if (sudo === undefined) {
    throw new Error(
      'etcd is not installed and this user cannot install it: run `sudo apt-get install etcd-server` ' +
        '(Debian/Ubuntu) or put an etcd 3.4+ binary on PATH / in $EDGE_INGRESS_ETCD',
    )
  }
  process.stderr.write('[test-env] installing etcd-server with apt-get (first run only)\n')
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  await runSetupCommand(sudo ? 'sudo' : 'apt-get', [...(sudo ? ['-n', 'apt-get'] : []), 'update', '-qq'], env)
  await runSetupCommand(sudo ? 'sudo' : 'apt-get', [...(sudo ? ['-n', 'apt-get'] : []), 'install', '-y', '-qq', 'etcd-server'], env)
  const installed = locateEtcd()
  if (!installed) throw new Error('apt-get installed etcd-server but no etcd binary was found on PATH or in /usr/bin')
  return installed
}

function locateEtcd(): string | undefined {
  return overriddenPath('EDGE_INGRESS_ETCD') ?? findOnPath('etcd') ?? (existsSync('/usr/bin/etcd') ? '/usr/bin/etcd' : undefined)
}

/** false: we are root; true: passwordless sudo works; undefined: no way to run apt-get. */
async function privilegeForApt(): Promise<boolean | undefined> {
  if (!findOnPath('apt-get')) return undefined
  if (process.getuid?.() === 0) return false
  if (!findOnPath('sudo')) return undefined
  try {
    await runSetupCommand('sudo', ['-n', 'true'])
    return true
  } catch {
    return undefined
  }
}
