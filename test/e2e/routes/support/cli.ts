// `edge-ingress` as users run it, in child processes: the controller (both halves) and the
// edge on Node. Each is started with its log in a work directory, waited on until it answers,
// and stopped by PID.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeKubeconfigFor } from '../../../env/clients'
import type { EnvironmentInfo } from '../../../env/environment'
import { freePort } from '../../../env/ports'
import { startProcess, waitUntilReady, type ManagedProcess } from '../../../env/process'

const cli = fileURLToPath(new URL('../../../../controller/bin/edge-ingress.js', import.meta.url))

export const workDir = () => mkdtemp(join(tmpdir(), 'edge-ingress-e2e-'))

export interface RunningController {
  process: ManagedProcess
  /** GET /v1/route-table of this controller. */
  routeTableUrl: string
  metricsUrl: string
  stop(): Promise<void>
}

export interface ControllerOptions {
  cluster: string
  publish?: string[]
  publicAddress?: string
  extraArgs?: string[]
}

export async function startController(env: EnvironmentInfo, dir: string, options: ControllerOptions): Promise<RunningController> {
  const kubeconfig = join(dir, `${options.cluster}.kubeconfig`)
  await writeKubeconfigFor(env, 'admin', kubeconfig)
  const [routePort, metricsPort] = [await freePort(), await freePort()]
  const args = [
    cli,
    'controller',
    '--kubeconfig', kubeconfig,
    '--cluster-name', options.cluster,
    '--region', env.region,
    '--aws-endpoint', env.motoUrl,
    '--no-leader-elect',
    '--route-table-address', `127.0.0.1:${routePort}`,
    '--metrics-address', `127.0.0.1:${metricsPort}`,
    '--route-batch-window', '20ms',
    '--allow-test-address-override',
    ...(options.publicAddress ? ['--public-address', options.publicAddress] : []),
    ...(options.publish ?? ['http']).flatMap((p) => ['--publish', p]),
    ...(options.extraArgs ?? []),
  ]
  const process = startProcess({
    name: `controller-${options.cluster}`,
    command: globalThis.process.execPath,
    args,
    workDir: dir,
    env: { ...globalThis.process.env, AWS_ACCESS_KEY_ID: env.awsAccessKeyId, AWS_SECRET_ACCESS_KEY: env.awsSecretAccessKey, AWS_REGION: env.region },
  })
  const metricsUrl = `http://127.0.0.1:${metricsPort}`
  await waitUntilReady(process, 'the controller', async () => (await fetch(`${metricsUrl}/readyz`)).ok, { timeoutMs: 60_000, intervalMs: 100 })
  return { process, routeTableUrl: `http://127.0.0.1:${routePort}/v1/route-table`, metricsUrl, stop: () => process.stop() }
}

export interface RunningEdge {
  process: ManagedProcess
  url: string
  adminUrl: string
  stop(): Promise<void>
}

/** `env`: for s3:// sources, the credentials of the environment's moto. */
export async function startNodeEdge(dir: string, name: string, args: string[], env?: EnvironmentInfo): Promise<RunningEdge> {
  const [port, adminPort] = [await freePort(), await freePort()]
  const process = startProcess({
    name: `edge-${name}`,
    command: globalThis.process.execPath,
    args: [cli, 'serve', ...args, '--port', String(port), '--admin-port', String(adminPort), '--poll-interval', '0.2'],
    workDir: dir,
    ...(env ? { env: { ...globalThis.process.env, AWS_ACCESS_KEY_ID: env.awsAccessKeyId, AWS_SECRET_ACCESS_KEY: env.awsSecretAccessKey } } : {}),
  })
  const adminUrl = `http://127.0.0.1:${adminPort}`
  await waitUntilReady(process, `edge ${name}`, async () => (await fetch(`${adminUrl}/healthz`)).ok, { timeoutMs: 60_000, intervalMs: 100 })
  return { process, url: `http://127.0.0.1:${port}`, adminUrl, stop: () => process.stop() }
}
