// `npm run sandbox` as a user runs it: the whole product on one machine. A request through the
// edge reaches a backend, kubectl's view (the written kubeconfig) shows what the controller did,
// a new HTTPRoute reaches the edge, and SIGTERM stops everything it started.
import { KubeConfig, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { request } from 'undici'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../env/ports'
import { eventually } from '../integration/edge/support/eventually'
import { groupAlive, runCommand, type RunningCommand } from './support/command'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const out = mkdtempSync(join(tmpdir(), 'edge-ingress-sandbox-test-'))
let sandbox: RunningCommand | undefined
afterAll(() => {
  sandbox?.kill()
  rmSync(out, { recursive: true, force: true })
})

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(false)))
    socket.once('error', () => resolve(true))
  })

describe('npm run sandbox', () => {
  let port: number
  let kubeConfig: KubeConfig

  // The first run on a fresh machine builds kube-apiserver (minutes).
  it('starts etcd, kube-apiserver, moto, the controller and the edge, and says how to use them', { timeout: 20 * 60_000 }, async () => {
    port = await freePort()
    sandbox = runCommand('npm', ['run', 'sandbox', '--', '--out', out, '--port', String(port), '--admin-port', String(await freePort())], { cwd: repo })
    await sandbox.waitFor('sandbox ready', 19 * 60_000)
    await sandbox.waitFor('Ctrl-C or SIGTERM stops everything', 10_000)
    expect(sandbox.stdout()).toContain(`set -a; . ${join(out, 'env')}; set +a`)
    expect(sandbox.stdout()).toContain('kubectl -n demo get services')
    kubeConfig = new KubeConfig()
    kubeConfig.loadFromFile(readFileSync(join(out, 'env'), 'utf8').match(/^KUBECONFIG=(.*)$/m)![1]!)
  })

  it('routes a request through the edge to a backend, with the curl line it printed', async () => {
    const line = sandbox!.stdout().split('\n').map((l) => l.trim()).find((l) => l.startsWith('curl') && l.includes('shop.example.com') && l.endsWith("/api'"))!
    const { stdout } = await promisify(execFile)('bash', ['-c', `${line} --silent --show-error`])
    expect(JSON.parse(stdout)).toMatchObject({ service: 'demo/shop-api:80', host: 'shop.example.com', url: '/api' })
  })

  it('shows through its kubeconfig what the controller did: balancers in Service status, route status', async () => {
    const services = await kubeConfig.makeApiClient(CoreV1Api).listNamespacedService({ namespace: 'demo' })
    const hostnames = services.items.map((s) => s.status?.loadBalancer?.ingress?.[0]?.hostname ?? '')
    expect(hostnames).toHaveLength(4)
    for (const hostname of hostnames) expect(hostname).toMatch(/\.elb\.amazonaws\.com$/)
    const route = (await kubeConfig.makeApiClient(CustomObjectsApi).getNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace: 'demo', plural: 'httproutes', name: 'api' })) as { status?: { parents?: { conditions: { type: string; status: string }[] }[] } }
    expect(route.status?.parents?.[0]?.conditions.find((c) => c.type === 'Accepted')?.status).toBe('True')
  })

  it('serves a new HTTPRoute through the edge once it is applied', async () => {
    await kubeConfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      group: 'gateway.networking.k8s.io', version: 'v1', namespace: 'demo', plural: 'httproutes',
      body: { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'docs' }, spec: { parentRefs: [{ name: 'edge' }], hostnames: ['docs.example.com'], rules: [{ backendRefs: [{ name: 'shop-web', port: 80 }] }] } },
    })
    const answer = await eventually(
      async () => {
        const res = await request(`http://127.0.0.1:${port}/guide`, { headers: { host: 'docs.example.com' } })
        return { status: res.statusCode, body: await res.body.text() }
      },
      (a) => a.status === 200,
      'the edge to serve docs.example.com', 200, 50,
    )
    expect(JSON.parse(answer.body)).toMatchObject({ service: 'demo/shop-web:80', url: '/guide' })
  })

  it('stops everything it started on SIGTERM', async () => {
    const started = JSON.parse(readFileSync(join(out, 'sandbox.json'), 'utf8')) as { pids: Record<string, number>; kubeApiServerUrl: string; motoUrl: string }
    expect(Object.keys(started.pids).sort()).toEqual(['controller', 'edge', 'etcd', 'kubeApiserver', 'moto'])
    sandbox!.child.kill('SIGTERM')
    await sandbox!.exited
    await eventually(async () => Object.values(started.pids).filter(alive), (left) => left.length === 0, 'every process the sandbox started to exit', 300, 100)
    await eventually(async () => groupAlive(sandbox!.child.pid!), (a) => !a, 'the sandbox process group to be gone', 100, 100)
    for (const url of [started.kubeApiServerUrl, started.motoUrl, `http://127.0.0.1:${port}`]) expect(await refused(Number(new URL(url).port)), url).toBe(true)
    expect(['env', 'kubeconfig', 'sandbox.json'].filter((f) => existsSync(join(out, f)))).toEqual([])
  })
})
