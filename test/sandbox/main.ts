// `npm run sandbox`: the whole product on one machine. The test environment (etcd +
// kube-apiserver + moto, test/env), the controller (both halves) run as its ServiceAccount
// against them, and the edge with local stand-in backends following the controller's route
// table; the example manifests applied. Prints how to kubectl against it and curl through the
// edge; runs until Ctrl-C or SIGTERM, then stops everything it started.
import { Command, InvalidArgumentError } from 'commander'
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { routeSummary } from '../../controller/src/local/summary'
import { parseRouteTable } from '../../edge/src/route-table/parse'
import type { RouteTable } from '../../edge/src/route-table/types'
import { writeKubeconfigFor } from '../env/clients'
import { renderEnvFile } from '../env/env-file'
import { startEnvironment } from '../env/environment'
import { repoRoot } from '../env/paths'
import { freePort } from '../env/ports'
import { startProcess, waitUntilReady, type ManagedProcess } from '../env/process'
import { CONTROLLER_IDENTITY, CONTROLLER_NAMESPACE, SANDBOX_CLUSTER, prepareCluster } from './cluster'

interface Options {
  out: string
  port: number
  adminPort: number
}

const port = (value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number')
  return n
}
const options = new Command('sandbox')
  .description('the whole product on one machine: kube-apiserver, etcd, moto, the controller and the edge')
  .option('--out <dir>', 'where to write kubeconfig, env and sandbox.json', '.tmp/sandbox')
  .option('--port <port>', 'public port of the edge', port, 8080)
  .option('--admin-port <port>', 'metrics port of the edge', port, 9090)
  .parse()
  .opts<Options>()

const say = (line: string) => process.stderr.write(`sandbox: ${line}\n`)
const cli = join(repoRoot, 'controller/bin/edge-ingress.js')
const outDir = resolve(options.out)
const files = { kubeconfig: join(outDir, 'kubeconfig'), env: join(outDir, 'env'), json: join(outDir, 'sandbox.json') }

say('starting etcd, kube-apiserver and moto (the first run builds kube-apiserver with Go: minutes) ...')
const env = await startEnvironment({ name: 'sandbox' }).catch((error: unknown) => {
  say(`failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
const children: ManagedProcess[] = []
let stopping = false
async function shutdown(reason: string, code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    say(`${reason}, stopping the edge, the controller and the environment`)
    for (const child of [...children].reverse()) await child.stop()
    await Promise.all(Object.values(files).map((file) => rm(file, { force: true })))
    await env.stop()
  }
  process.exit(code)
}
process.on('SIGINT', () => void shutdown('SIGINT', 0))
process.on('SIGTERM', () => void shutdown('SIGTERM', 0))
void env.serverExited.then((server) => shutdown(`${server.name} exited unexpectedly (log ${server.logPath})`, 1))

try {
  const { info } = env
  await prepareCluster(info, say)
  await mkdir(outDir, { recursive: true })
  await copyFile(info.kubeconfigPath, files.kubeconfig)
  await writeFile(files.env, renderEnvFile(info, files.kubeconfig), { mode: 0o600 })
  const controllerKubeconfig = join(info.workDir, 'controller.kubeconfig')
  await writeKubeconfigFor(info, { impersonate: CONTROLLER_IDENTITY }, controllerKubeconfig)

  const [metricsPort, routeTablePort] = [await freePort(), await freePort()]
  say(`starting the controller (L4 + L7) as ${CONTROLLER_IDENTITY}`)
  const controller = startProcess({
    name: 'controller',
    command: process.execPath,
    args: [
      cli, 'controller', `--kubeconfig=${controllerKubeconfig}`, `--cluster-name=${SANDBOX_CLUSTER}`, `--region=${info.region}`,
      `--aws-endpoint=${info.motoUrl}`, `--metrics-address=127.0.0.1:${metricsPort}`, `--leader-election-namespace=${CONTROLLER_NAMESPACE}`,
      '--identity=sandbox-controller', '--publish=http', `--route-table-address=127.0.0.1:${routeTablePort}`,
      `--public-address=127.0.0.1`, '--resync-period=1m',
    ],
    workDir: info.workDir,
    env: { ...process.env, AWS_ACCESS_KEY_ID: info.awsAccessKeyId, AWS_SECRET_ACCESS_KEY: info.awsSecretAccessKey, AWS_REGION: info.region },
  })
  children.push(controller)
  const routeTableUrl = `http://127.0.0.1:${routeTablePort}/v1/route-table`
  await waitUntilReady(controller, 'the controller', async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).ok, { timeoutMs: 60_000 })

  say(`starting the edge on 127.0.0.1:${options.port}, following ${routeTableUrl}`)
  const edge = startProcess({
    name: 'edge',
    command: process.execPath,
    args: [cli, 'local', `--source=${routeTableUrl}`, `--port=${options.port}`, `--admin-port=${options.adminPort}`],
    workDir: info.workDir,
    env: process.env,
  })
  children.push(edge)
  // Ready when every example Service has its NLB (in moto) and the edge serves the table they resolve.
  say('waiting for the balancers (NLBs in moto), the route table and the edge ...')
  let published: RouteTable | null = null
  await waitUntilReady(edge, 'the edge with a complete route table', async () => {
    const parsed = parseRouteTable(await (await fetch(routeTableUrl)).text())
    if (!parsed.ok || parsed.table.hosts.some((h) => h.routes.some((r) => r.action.backends.some((b) => b.gateway === null)))) return false
    published = parsed.table
    return (await fetch(`http://127.0.0.1:${options.adminPort}/readyz`).catch(() => null))?.ok ?? false
  }, { timeoutMs: 120_000, intervalMs: 250 })

  await writeFile(files.json, JSON.stringify({ ...info, kubeconfigPath: files.kubeconfig, edgeUrl: `http://127.0.0.1:${options.port}`, routeTableUrl, pids: { ...info.pids, controller: controller.pid, edge: edge.pid } }, null, 2) + '\n', { mode: 0o600 })
  const edgeUrl = `http://127.0.0.1:${options.port}`
  const summary = routeSummary(published!, edgeUrl)
  process.stdout.write(
    [
      `sandbox ready: kube-apiserver ${info.kubeApiServerUrl}, moto ${info.motoUrl}, controller as ${CONTROLLER_IDENTITY}, edge ${edgeUrl}`,
      '',
      'In another shell:',
      `  set -a; . ${files.env}; set +a`,
      '  kubectl get nodes',
      '  kubectl -n demo get services            # EXTERNAL-IP: each Service\'s NLB (in moto), set by the controller',
      '  kubectl -n demo get ingress,httproutes -o yaml   # status written by the controller',
      '  kubectl -n demo delete httproute old-site        # the edge stops redirecting old.example.com within a second',
      '',
      'Routes (the edge follows the table the controller publishes; each Service port is a local echo backend):',
      ...summary,
      '',
      `Logs: ${controller.logPath}, ${edge.logPath}. Ctrl-C or SIGTERM stops everything.`,
      '',
    ].join('\n'),
  )
} catch (error) {
  await shutdown(`failed: ${error instanceof Error ? error.message : String(error)}`, 1)
}
