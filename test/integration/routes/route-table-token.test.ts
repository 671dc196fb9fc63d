// The route-table endpoint behind a bearer token, through the real CLI in child processes:
// `edge-ingress controller --route-table-token-file` on the shared apiserver and `edge-ingress
// serve --source ... --source-token-file` in front of a local backend. With the token the edge
// follows the table and forwards; without it the endpoint answers 401 JSON and the edge keeps
// saying so in its log; no token ever reaches a log; a bad token file stops the command with
// one clear line.
import { execFile } from 'node:child_process'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_ADDRESS_ANNOTATION } from '../../../controller/src/routes/controller/test-address-override'
import { startController, startNodeEdge, workDir, type RunningController, type RunningEdge } from '../../e2e/routes/support/cli'
import { get, until } from '../../e2e/routes/support/requests'
import { createKubeClients } from '../../env/clients'
import { installGatewayApiCrds } from '../../env/fixtures/gateway-api'
import { createTestNamespace, uniqueName } from '../../env/fixtures/names'
import { sharedEnvironment } from '../../env/shared-environment'
import { startEchoServer, type EchoServer } from '../edge/support/echo-server'
import { eventually } from '../edge/support/eventually'
import { apply, ingress, installClasses, service, setBalancerAddress } from './support/objects'

const env = sharedEnvironment()
const cli = fileURLToPath(new URL('../../../controller/bin/edge-ingress.js', import.meta.url))
const TOKEN = `tok-${uniqueName('t').replace(/[^A-Za-z0-9-]/g, '')}-0123456789abcdef`
let dir: string
let tokenFile: string
let host: string
let echo: EchoServer
let controller: RunningController
const edges: RunningEdge[] = []

async function cliRun(args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { timeout: 30_000 })
    return { code: 0, stderr }
  } catch (error) {
    const e = error as { code: number; stderr: string }
    return { code: e.code, stderr: e.stderr }
  }
}

beforeAll(async () => {
  const kube = createKubeClients(env)
  await installGatewayApiCrds(kube.kubeConfig)
  await installClasses(kube)
  const ns = await createTestNamespace(kube.core, 'token')
  host = `shop.${ns}.example.test`
  echo = await startEchoServer('token-web')
  await apply(kube, service(ns, 'web', echo.port, { annotations: { [TEST_ADDRESS_ANNOTATION]: '127.0.0.1' } }), ingress(ns, 'shop', host, { name: 'web', port: echo.port }))
  await setBalancerAddress(kube, ns, 'web', 'web.elb.example.test')
  dir = await workDir()
  tokenFile = join(dir, 'route-table-token')
  await writeFile(tokenFile, `${TOKEN}\n`)
  await chmod(tokenFile, 0o600)
  controller = await startController(env, dir, { cluster: uniqueName('tok'), extraArgs: ['--no-load-balancers', '--route-table-token-file', tokenFile] })
})
afterAll(async () => {
  for (const edge of edges) await edge.stop()
  await controller?.stop()
  await echo?.close()
})

describe('controller --route-table-token-file and serve --source-token-file', () => {
  it('answers 401 with a JSON error without the token or with a wrong one, and the table with it', async () => {
    const none = await fetch(controller.routeTableUrl)
    expect(none.status).toBe(401)
    expect(await none.json()).toEqual({ error: 'a bearer token is required: Authorization: Bearer <token>' })
    expect((await fetch(controller.routeTableUrl, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401)
    const table = await eventually(() => fetch(controller.routeTableUrl, { headers: { authorization: `Bearer ${TOKEN}` } }), (r) => r.status === 200, 'the first table')
    expect(JSON.stringify(await table.json())).toContain(host)
  })

  it('an edge with the token file follows the table and forwards to the backend', async () => {
    const edge = await startNodeEdge(dir, 'with-token', ['--source', controller.routeTableUrl, '--source-token-file', tokenFile])
    edges.push(edge)
    await until(() => get(edge.url, host), { status: 200, servedBy: 'token-web' }, 'a request forwarded through the edge')
  })

  it('an edge without it keeps answering 503 and logs the 401; no token in any log', async () => {
    const edge = await startNodeEdge(dir, 'without-token', ['--source', controller.routeTableUrl])
    edges.push(edge)
    await eventually(async () => edge.process.lastLogLines(50), (log) => /route-table-source-failed.*HTTP 401 \(the controller wants a bearer token\)/.test(log), 'the 401 in the edge log')
    expect((await get(edge.url, host)).status).toBe(503)
    await eventually(async () => controller.process.lastLogLines(200), (log) => log.includes('route-table-request-refused'), 'the refusal in the controller log')
    for (const log of [controller.process.logPath, ...edges.map((e) => e.process.logPath)]) expect(await readFile(log, 'utf8')).not.toContain(TOKEN)
  })

  it('stops with one clear line on a bad token file, without printing its content', async () => {
    const bad = join(dir, 'bad-token')
    await writeFile(bad, 'changeme\n')
    const controllerRun = await cliRun(['controller', '--kubeconfig', env.kubeconfigPath, '--cluster-name', 'x', '--no-load-balancers', '--no-leader-elect', '--route-table-address', '127.0.0.1:0', '--metrics-address', '127.0.0.1:0', '--route-table-token-file', bad])
    expect(controllerRun.code).toBe(2)
    expect(controllerRun.stderr).toContain(`--route-table-token-file ${bad}: line 1 is not a bearer token`)
    expect(controllerRun.stderr).not.toContain('changeme')
    const serveRun = await cliRun(['serve', '--source', controller.routeTableUrl, '--source-token-file', join(dir, 'missing'), '--port', '0', '--admin-port', '0'])
    expect(serveRun.code).toBe(2)
    expect(serveRun.stderr).toContain(`--source-token-file ${join(dir, 'missing')}: cannot read it (ENOENT)`)
  })
})
