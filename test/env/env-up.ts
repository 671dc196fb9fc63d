// `npm run env:up -- --out <dir>`: the test environment for manual use and other tools.
// Writes <dir>/kubeconfig, <dir>/env and <dir>/env.json once everything is ready, prints one
// ready line, runs until SIGTERM/SIGINT, then stops what it started and removes those files.
import { Command, InvalidArgumentError } from 'commander'
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { createAwsClients, createKubeClients } from './clients'
import { startEnvironment, type EnvironmentInfo } from './environment'
import { renderEnvFile } from './env-file'
import { createNetwork, launchInstances } from './fixtures/aws-network'
import { installGatewayApiCrds } from './fixtures/gateway-api'
import { createNodeForInstance } from './fixtures/nodes'

interface Options {
  out: string
  gatewayApi: boolean
  nodes: number
  clusterName: string
  region?: string
}

const program = new Command('env:up')
  .description('start etcd + kube-apiserver + moto on loopback until SIGTERM/SIGINT')
  .option('--out <dir>', 'where to write kubeconfig, env and env.json', '.tmp/env')
  .option('--gateway-api', 'install the Gateway API v1.6.1 CRDs', false)
  .option('--nodes <count>', 'create this many Ready Nodes backed by moto EC2 instances', parseCount, 0)
  .option('--cluster-name <name>', "with --nodes: tag the subnets for this cluster's load balancers (edge-ingress controller --cluster-name)", 'local')
  .option('--region <region>', 'AWS region the environment pretends to be')
  .parse()

const options = program.opts<Options>()
const outDir = resolve(options.out)
const files = { kubeconfig: resolve(outDir, 'kubeconfig'), env: resolve(outDir, 'env'), json: resolve(outDir, 'env.json') }

const env = await startEnvironment({ name: 'env-up', ...(options.region ? { region: options.region } : {}) }).catch((error: unknown) => {
  process.stderr.write(`env:up failed: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  process.stderr.write(`env:up: ${signal}, stopping\n`)
  await Promise.all(Object.values(files).map((file) => rm(file, { force: true })))
  await env.stop()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))

try {
  await prepare(env.info, options)
  await mkdir(outDir, { recursive: true })
  await copyFile(env.info.kubeconfigPath, files.kubeconfig)
  await writeFile(files.env, renderEnvFile(env.info, files.kubeconfig), { mode: 0o600 })
  await writeFile(files.json, JSON.stringify({ ...env.info, kubeconfigPath: files.kubeconfig }, null, 2) + '\n', { mode: 0o600 })
  process.stdout.write(
    `env:up ready: kube-apiserver ${env.info.kubeApiServerUrl}, moto ${env.info.motoUrl}, region ${env.info.region}; ` +
      `set -a; . ${files.env}; set +a\n`,
  )
  void env.serverExited.then(async (server) => {
    // A half environment would only confuse whoever uses it: report and stop the rest.
    process.stderr.write(`env:up: ${server.name} exited unexpectedly; last log lines:\n${server.lastLogLines()}\n`)
    await Promise.all(Object.values(files).map((file) => rm(file, { force: true })))
    await env.stop()
    process.exit(1)
  })
} catch (error) {
  process.stderr.write(`env:up failed: ${error instanceof Error ? error.message : String(error)}\n`)
  await env.stop()
  process.exit(1)
}

async function prepare(info: EnvironmentInfo, opts: Options): Promise<void> {
  const kube = createKubeClients(info)
  if (opts.gatewayApi) await installGatewayApiCrds(kube.kubeConfig)
  if (opts.nodes > 0) {
    const { ec2 } = createAwsClients(info)
    // Tagged as the controller discovers subnets for new load balancers (public and internal).
    const tags = { 'kubernetes.io/role/elb': '1', 'kubernetes.io/role/internal-elb': '1', [`kubernetes.io/cluster/${opts.clusterName}`]: 'owned' }
    const network = await createNetwork(ec2, { zones: Math.min(3, opts.nodes), tags })
    const instances = await launchInstances(ec2, network, { count: opts.nodes })
    for (const instance of instances) await createNodeForInstance(kube.core, instance, info.region)
  }
}

function parseCount(value: string): number {
  const count = Number(value)
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError('expected a whole number')
  return count
}
