// `edge-ingress serve` as a user runs it: the real CLI in a child process, real sockets, real
// file changes. Everything it starts is stopped by PID.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { createServer as createHttpServer, type ServerResponse } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { withRevision } from '../../../edge/src/route-table/revision'
import type { RouteTable } from '../../../edge/src/route-table/types'
import { gatewayId, route, table } from '../../spec-cases/builder'
import { eventually } from './support/eventually'
import { startEchoServer, type EchoServer } from './support/echo-server'

const cli = fileURLToPath(new URL('../../../controller/bin/edge-ingress.js', import.meta.url))
const children: ChildProcess[] = []
let dir: string
let echo: EchoServer

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

interface Running {
  child: ChildProcess
  stderr: () => string
  stdout: () => string
  port: number
  adminPort: number
  exited: Promise<number | null>
}

async function serve(args: string[]): Promise<Running> {
  const port = await freePort()
  const adminPort = await freePort()
  const child = spawn(process.execPath, [cli, 'serve', ...args, '--port', String(port), '--admin-port', String(adminPort)], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let stderr = ''
  let stdout = ''
  child.stderr!.on('data', (d) => (stderr += String(d)))
  child.stdout!.on('data', (d) => (stdout += String(d)))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  // Ready when it says where it listens, or gone.
  await Promise.race([
    new Promise<void>((resolve) => child.stderr!.on('data', () => (stderr.includes('serving') ? resolve() : undefined))),
    exited,
  ])
  return { child, stderr: () => stderr, stdout: () => stdout, port, adminPort, exited }
}

async function get(port: number, host: string, path = '/') {
  const res = await request(`http://127.0.0.1:${port}${path}`, { headers: { host } })
  return { status: res.statusCode, text: await res.body.text() }
}

async function tableFor(host: string): Promise<RouteTable> {
  const { revision: _r, ...content } = table({ [host]: [route({ object: 'demo/web', backend: 'demo/web:80' })] })
  content.gateways[gatewayId('demo/web:80')] = { id: gatewayId('demo/web:80'), cluster: 'test', address: '127.0.0.1', port: echo.port, protocol: 'http' }
  return withRevision(content)
}

/** Written like a publisher does: a temporary file renamed over the target. */
async function publish(file: string, text: string) {
  await writeFile(`${file}.tmp`, text)
  await rename(`${file}.tmp`, file)
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-serve-'))
  echo = await startEchoServer('web')
})
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})
afterAll(async () => {
  await echo?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('edge-ingress serve --routes', () => {
  it('serves the table, follows changes to the file, refuses a corrupt one and keeps serving, stops on SIGTERM', async () => {
    const file = join(dir, 'table.json')
    await publish(file, JSON.stringify(await tableFor('one.test')))
    const edge = await serve(['--routes', file])
    expect(edge.stderr()).toMatch(new RegExp(`serving .*table\\.json .* on http://127\\.0\\.0\\.1:${edge.port}; metrics, healthz and readyz on http://127\\.0\\.0\\.1:${edge.adminPort}`))
    expect((await get(edge.port, 'one.test')).status).toBe(200)
    expect((await get(edge.port, 'two.test')).status).toBe(404)
    // pino request lines on stdout: route id, backend, status and duration.
    const lines = await eventually(async () => edge.stdout().split('\n').filter((l) => l.includes('"msg":"request"')), (l) => l.length >= 2, 'two request log lines')
    expect(JSON.parse(lines[0]!)).toMatchObject({ host: 'one.test', path: '/', status: 200, route: 'HTTPRoute/demo/web/0/0', backend: 'demo/web:80', durationMs: expect.any(Number), requestId: expect.any(String) })
    expect(JSON.parse(lines[1]!)).toMatchObject({ host: 'two.test', status: 404, route: null, backend: null })

    await publish(file, JSON.stringify(await tableFor('two.test')))
    await eventually(() => get(edge.port, 'two.test'), (r) => r.status === 200, 'the new table to be served')
    expect((await get(edge.port, 'one.test')).status).toBe(404)

    await publish(file, '{"schemaVersion": 1, "revision": "x", "gateways": {}, "hosts": [{"hostname": "BAD HOST", "routes": []}], "fallback": null}')
    await eventually(async () => edge.stdout(), (out) => out.includes('route-table-refused'), 'the corrupt table to be refused')
    expect((await get(edge.port, 'two.test')).status).toBe(200)
    const metrics = await (await request(`http://127.0.0.1:${edge.adminPort}/metrics`)).body.text()
    expect(metrics).toMatch(/edge_route_table_loads_total\{result="refused"\} 1/)

    edge.child.kill('SIGTERM')
    expect(await edge.exited).toBe(0)
    expect(edge.stderr()).toContain('SIGTERM, stopping')
  })

  it('exits with one clear line when the port is taken', async () => {
    const file = join(dir, 'busy.json')
    await publish(file, JSON.stringify(await tableFor('one.test')))
    const first = await serve(['--routes', file])
    const port = String(first.port)
    const second = spawn(process.execPath, [cli, 'serve', '--routes', file, '--port', port, '--admin-port', String(await freePort())], { stdio: ['ignore', 'ignore', 'pipe'] })
    children.push(second)
    let stderr = ''
    second.stderr!.on('data', (d) => (stderr += String(d)))
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve))
    expect(code).not.toBe(0)
    expect(stderr.trim()).toBe(`edge-ingress: public port ${port} on 127.0.0.1 is already in use`)
  })

  it('refuses to start on a corrupt table, naming the JSON path', async () => {
    const file = join(dir, 'corrupt.json')
    await publish(file, JSON.stringify({ ...(await tableFor('one.test')), schemaVersion: 7 }))
    const edge = await serve(['--routes', file])
    expect(await edge.exited).not.toBe(0)
    expect(edge.stderr()).toMatch(/corrupt\.json: \$\.schemaVersion: unsupported schemaVersion 7/)
  })
})

describe('edge-ingress serve <manifests>', () => {
  it('compiles Ingress + Service manifests and forwards to the Service balancer', async () => {
    const manifests = join(dir, 'manifests')
    await rm(manifests, { recursive: true, force: true })
    await mkdir(manifests)
    await writeFile(
      join(manifests, 'app.yaml'),
      `apiVersion: v1
kind: Service
metadata: {name: web, namespace: demo}
spec:
  type: LoadBalancer
  ports: [{name: http, port: ${echo.port}, targetPort: 8080, protocol: TCP}]
status:
  loadBalancer:
    ingress: [{ip: 127.0.0.1}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: demo, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  ingressClassName: edge-ingress
  rules:
    - host: shop.test
      http:
        paths:
          - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: ${echo.port}}}}}
`,
    )
    const edge = await serve([manifests])
    const r = await get(edge.port, 'shop.test', '/cart')
    expect(r.status).toBe(200)
    expect(JSON.parse(r.text)).toMatchObject({ server: 'web', url: '/cart' })
    edge.child.kill('SIGINT')
    expect(await edge.exited).toBe(0)
  })
})

describe('edge-ingress serve --source http://…', () => {
  /** The controller's long-poll protocol (docs/route-publishing.md): the table once, then requests with its ETag held as a long poll. */
  async function longPollEndpoint(text: string, revision: string) {
    const held = new Set<ServerResponse>()
    const server = createHttpServer((req, res) => {
      if (req.headers['if-none-match'] === `"${revision}"`) {
        held.add(res)
        res.on('close', () => held.delete(res))
        return
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: `"${revision}"` }).end(text)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return {
      url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/route-table`,
      held: () => held.size,
      close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
    }
  }

  it('edge-ingress local --source stops at once on SIGINT too, its summary on stdout and its progress on stderr', async () => {
    const routes = await tableFor('polled.test')
    const endpoint = await longPollEndpoint(JSON.stringify(routes), routes.revision)
    try {
      const child = spawn(process.execPath, [cli, 'local', '--source', endpoint.url, '--port', String(await freePort()), '--admin-port', String(await freePort())], { stdio: ['ignore', 'pipe', 'pipe'] })
      children.push(child)
      let stdout = ''
      let stderr = ''
      child.stdout!.on('data', (d) => (stdout += String(d)))
      child.stderr!.on('data', (d) => (stderr += String(d)))
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
      await eventually(async () => endpoint.held(), (n) => n === 1, 'the table read and the next read held as a long poll', 400)
      expect(stdout).toMatch(/^edge-ingress local: serving 1 host\(s\) from http:.* \(revision [0-9a-f]{12}\)/)
      expect(stdout).toContain("curl -H 'Host: polled.test'")
      expect(stderr).toMatch(/^edge-ingress local: following http:.*, starting local backends and the edge/)
      const asked = Date.now()
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      expect(Date.now() - asked).toBeLessThan(2_000)
      expect(stderr).toContain('SIGINT, stopping the edge')
    } finally {
      await endpoint.close()
    }
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops at once on ${signal} while a long poll is held (not when the poll times out)`, async () => {
      const routes = await tableFor('polled.test')
      const endpoint = await longPollEndpoint(JSON.stringify(routes), routes.revision)
      try {
        const edge = await serve(['--source', endpoint.url])
        await eventually(() => get(edge.port, 'polled.test'), (r) => r.status === 200, 'the table from the source')
        await eventually(async () => endpoint.held(), (n) => n === 1, 'the next read held as a long poll', 400)
        const asked = Date.now()
        edge.child.kill(signal)
        expect(await edge.exited).toBe(0)
        expect(Date.now() - asked).toBeLessThan(2_000)
        expect(edge.stderr()).toContain(`${signal}, stopping`)
        await eventually(async () => endpoint.held(), (n) => n === 0, 'the held request closed by the edge', 200)
      } finally {
        await endpoint.close()
      }
    })
  }
})
