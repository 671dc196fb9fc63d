// One etcd member on loopback with a throwaway data directory.
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { freePort, loopback } from '../ports'
import { startProcess, waitUntilReady, type ManagedProcess } from '../process'

export interface EtcdServer {
  url: string
  process: ManagedProcess
}

export async function startEtcd(binary: string, workDir: string): Promise<EtcdServer> {
  const dataDir = join(workDir, 'etcd-data')
  await mkdir(dataDir, { recursive: true })
  const clientUrl = `http://${loopback}:${await freePort()}`
  const peerUrl = `http://${loopback}:${await freePort()}`
  const proc = startProcess({
    name: 'etcd',
    command: binary,
    args: [
      '--name=default',
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${clientUrl}`,
      `--advertise-client-urls=${clientUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      '--initial-cluster-state=new',
    ],
    workDir,
  })
  await waitUntilReady(proc, 'etcd', async () => {
    const response = await fetch(`${clientUrl}/health`)
    const body = (await response.json()) as { health?: string }
    return response.ok && body.health === 'true'
  }, { timeoutMs: 30_000 })
  return { url: clientUrl, process: proc }
}
