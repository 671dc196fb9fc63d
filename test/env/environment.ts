// One complete test environment: etcd + kube-apiserver + moto on loopback, with the
// connection details as plain data (passed from vitest's global setup to test files).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminUser, createClusterPki } from './certs'
import { writeKubeconfig } from './kubeconfig'
import { claimWorkDir, reapLeftoverEnvironments, workDirPrefix } from './leftovers'
import { startEtcd, type EtcdServer } from './servers/etcd'
import { startKubeApiserver, unprivilegedUser, type KubeApiServer } from './servers/kube-apiserver'
import { startMoto, type MotoServer } from './servers/moto'
import { ensureEtcd } from './toolchain/etcd'
import type { ManagedProcess } from './process'
import { ensureKubeApiserver } from './toolchain/kube-apiserver'
import { ensureMotoServer } from './toolchain/moto'

export interface EnvironmentInfo {
  name: string
  workDir: string
  kubeconfigPath: string
  kubeApiServerUrl: string
  caCertPath: string
  adminUser: string
  unprivilegedUser: string
  unprivilegedToken: string
  motoUrl: string
  region: string
  awsAccessKeyId: string
  awsSecretAccessKey: string
  pids: { etcd: number; kubeApiserver: number; moto: number }
}

export interface TestEnvironment {
  info: EnvironmentInfo
  /** Resolves with the first server that exits by itself (not through stop()): the environment is broken. */
  serverExited: Promise<ManagedProcess>
  stop(): Promise<void>
}

export interface EnvironmentOptions {
  /** Shows up in the temp directory name; tells two environments apart. */
  name?: string
  region?: string
  /** Keep the work directory (logs, etcd data) after stop, for debugging. */
  keepWorkDir?: boolean
}

export const defaultRegion = 'us-east-1'

/** Installs or builds what is missing, then starts the servers. */
export async function startEnvironment(options: EnvironmentOptions = {}): Promise<TestEnvironment> {
  const name = options.name ?? 'env'
  const [etcdBinary, apiserverBinary, motoBinary] = await Promise.all([ensureEtcd(), ensureKubeApiserver(), ensureMotoServer()])
  reapLeftoverEnvironments()
  const workDir = await mkdtemp(join(tmpdir(), `${workDirPrefix}${name}-`))
  claimWorkDir(workDir)
  const keepWorkDir = options.keepWorkDir ?? process.env.EDGE_INGRESS_KEEP_ENV === '1'
  let etcd: EtcdServer | undefined
  let apiserver: KubeApiServer | undefined
  let moto: MotoServer | undefined
  let stopping = false
  const stop = async () => {
    stopping = true
    await apiserver?.process.stop()
    await Promise.all([etcd?.process.stop(), moto?.process.stop()])
    if (!keepWorkDir) await rm(workDir, { recursive: true, force: true })
  }
  try {
    const pki = await createClusterPki(workDir)
    // moto takes a second or two to import; let it start while etcd and the apiserver do.
    const motoStarting = retryOnPortClash(() => startMoto(motoBinary, workDir)).then((server) => (moto = server))
    const apiserverStarting = retryOnPortClash(() => startEtcd(etcdBinary, workDir))
      .then((server) => (etcd = server))
      .then((server) => retryOnPortClash(() => startKubeApiserver(apiserverBinary, server.url, pki, workDir)))
      .then((server) => (apiserver = server))
    const started = await Promise.allSettled([motoStarting, apiserverStarting])
    for (const result of started) if (result.status === 'rejected') throw result.reason
    if (!etcd || !apiserver || !moto) throw new Error('test environment did not start')
    const kubeconfigPath = join(workDir, 'kubeconfig')
    await writeKubeconfig(kubeconfigPath, { server: apiserver.url, ...pki, unprivilegedToken: apiserver.unprivilegedToken })
    const info: EnvironmentInfo = {
      name,
      workDir,
      kubeconfigPath,
      kubeApiServerUrl: apiserver.url,
      caCertPath: pki.caCertPath,
      adminUser,
      unprivilegedUser,
      unprivilegedToken: apiserver.unprivilegedToken,
      motoUrl: moto.url,
      region: options.region ?? defaultRegion,
      awsAccessKeyId: 'testing',
      awsSecretAccessKey: 'testing',
      pids: { etcd: etcd.process.pid, kubeApiserver: apiserver.process.pid, moto: moto.process.pid },
    }
    const servers = [etcd.process, apiserver.process, moto.process]
    const serverExited = Promise.race(servers.map((server) => server.exited.then(() => server)))
    return { info, stop, serverExited: serverExited.then((server) => (stopping ? new Promise<never>(() => undefined) : server)) }
  } catch (error) {
    await stop().catch(() => undefined)
    throw error
  }
}

/**
 * A free port is picked before the server binds it, so another process can take it in
 * between (other tests run servers too): then start again on new ports.
 */
async function retryOnPortClash<T>(start: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start()
    } catch (error) {
      const clash = /address already in use|is in use by another program/i.test(String(error))
      if (!clash || attempt >= attempts) throw error
    }
  }
}
