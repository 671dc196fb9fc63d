// `edge-ingress controller` as a child process, exactly as a user starts it: the real CLI
// entry (controller/bin/edge-ingress.js), flags, a kubeconfig file and AWS settings from
// the environment. Its JSON log goes to a file the test reads; it is stopped (or killed)
// by PID.
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { join } from 'node:path'
import type { EnvironmentInfo } from '../../../env/environment'
import { freePort, loopback } from '../../../env/ports'
import { startProcess, type ManagedProcess } from '../../../env/process'
import { eventually } from '../../edge/support/eventually'

const cli = join(import.meta.dirname, '../../../../controller/bin/edge-ingress.js')

export interface CliControllerOptions {
  cluster: string
  awsEndpoint?: string
  /** Extra flags, e.g. ['--dry-run']. */
  args?: string[]
  /** Also run the L7 route half (default: the L4 half alone, --no-routes). */
  routes?: boolean
  /** Default: without leader election (one replica). */
  leaderElection?: { namespace: string; name: string; identity: string; leaseDuration: string }
  /** Where the log file goes; default a new directory under the environment's work directory. */
  dir?: string
}

export interface CliController {
  process: ManagedProcess
  /** http://127.0.0.1:<port> of /metrics, /healthz, /readyz. */
  adminUrl: string
  logLines(): { msg: string; [field: string]: unknown }[]
  /** SIGKILL, as a node failure or an OOM kill would end it. */
  kill(): Promise<void>
  /** SIGTERM, waits for the graceful exit. */
  stop(): Promise<void>
}

export async function startCliController(env: EnvironmentInfo, options: CliControllerOptions): Promise<CliController> {
  const dir = options.dir ?? (await mkdtemp(join(env.workDir, 'controller-')))
  const port = await freePort()
  const election = options.leaderElection
  const args = [
    cli,
    'controller',
    '--kubeconfig',
    env.kubeconfigPath,
    '--cluster-name',
    options.cluster,
    '--region',
    env.region,
    '--aws-endpoint',
    options.awsEndpoint ?? env.motoUrl,
    '--metrics-address',
    `${loopback}:${port}`,
    ...(election
      ? ['--leader-election-namespace', election.namespace, '--leader-election-id', election.name, '--identity', election.identity, '--lease-duration', election.leaseDuration]
      : ['--no-leader-elect']),
    ...(options.routes ? [] : ['--no-routes']),
    ...(options.args ?? []),
  ]
  const proc = startProcess({
    name: `controller-${election?.identity ?? options.cluster}`,
    command: process.execPath,
    args,
    workDir: dir,
    env: { ...process.env, AWS_ACCESS_KEY_ID: env.awsAccessKeyId, AWS_SECRET_ACCESS_KEY: env.awsSecretAccessKey, LOG_LEVEL: 'debug' },
  })
  const logLines = () =>
    readFileSync(proc.logPath, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string })
  await eventually(
    async () => {
      if (proc.hasExited()) throw new Error(`the controller exited during start:\n${proc.lastLogLines()}`)
      return logLines().some((l) => l.msg === 'controller starting')
    },
    Boolean,
    'the controller to start',
    1200,
    50,
  )
  return {
    process: proc,
    adminUrl: `http://${loopback}:${port}`,
    logLines,
    async kill() {
      process.kill(proc.pid, 'SIGKILL')
      await proc.exited
    },
    stop: () => proc.stop(10_000),
  }
}

/** Sum of a Prometheus counter or gauge from /metrics, over the series whose labels match. */
export async function metricValue(adminUrl: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text()
  let sum = 0
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (!match || match[1] !== name) continue
    const series = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    if (Object.entries(labels).every(([k, v]) => series[k] === v)) sum += Number(match[3])
  }
  return sum
}
