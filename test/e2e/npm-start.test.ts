// `npm start` as the README tells a user to run it: the real command in its own process group,
// the curl lines it prints run by bash exactly as printed, Ctrl-C (SIGINT to the group) stops
// everything, and a taken port gives one clear line.
import { execFile } from 'node:child_process'
import { createServer, connect, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { request } from 'undici'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../env/ports'
import { eventually } from '../integration/edge/support/eventually'
import { groupAlive, runCommand, type RunningCommand } from './support/command'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const sh = promisify(execFile)
const started: RunningCommand[] = []
afterAll(() => started.forEach((c) => c.kill()))

function npmStart(...args: string[]): RunningCommand {
  const command = runCommand('npm', ['start', '--', ...args], { cwd: repo })
  started.push(command)
  return command
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve(false)))
    socket.once('error', () => resolve(true))
  })

describe('npm start', () => {
  let app: RunningCommand
  let port: number
  let adminPort: number

  it('prints a progress line, then the routes and curl lines for the examples', async () => {
    ;[port, adminPort] = [await freePort(), await freePort()]
    app = npmStart('--port', String(port), '--admin-port', String(adminPort))
    await app.waitFor('edge-ingress local: compiling infra/examples', 30_000)
    await app.waitFor('Ctrl-C stops everything', 60_000)
    const out = app.stdout()
    expect(out).toContain(`serving 3 host(s) from infra/examples on http://127.0.0.1:${port}`)
    for (const host of ['shop.example.com', 'api.example.com', 'old.example.com']) expect(out).toMatch(new RegExp(`^  ${host.replace(/\./g, '\\.')} `, 'm'))
    expect(out).toContain('demo/api-stable:80 90%, demo/api-canary:80 10%')
    expect(out).toContain('301 redirect to shop.example.com')
  })

  it('answers every printed curl line, run by bash exactly as printed, from the backend the route names', async () => {
    const curls = app.stdout().split('\n').filter((l) => l.startsWith('  curl ')).map((l) => l.trim())
    expect(curls.length).toBe(5)
    const run = async (line: string) => (await sh('bash', ['-c', `${line} --silent --show-error --max-time 10`])).stdout
    const servedBy = (body: string) => (JSON.parse(body) as { service: string }).service
    const line = (...parts: string[]) => curls.find((c) => parts.every((p) => c.includes(p)))!
    expect(servedBy(await run(line('api.example.com', 'x-canary: always')))).toBe('demo/api-canary:80')
    expect(servedBy(await run(line('shop.example.com', ':' + port + "/api'")))).toBe('demo/shop-api:80')
    expect(servedBy(await run(line('shop.example.com', ':' + port + "/'")))).toBe('demo/shop-web:80')
    const echoed = JSON.parse(await run(line('shop.example.com', ':' + port + "/'"))) as { host: string; headers: Record<string, string> }
    expect(echoed.host).toBe('shop.example.com')
    expect(echoed.headers['x-forwarded-host']).toBe('shop.example.com')
    const redirect = await run(line('old.example.com'))
    expect(redirect).toMatch(/^HTTP\/1\.1 301/)
    expect(redirect).toMatch(/^location: http:\/\/shop\.example\.com\/\r?$/im)
    // The weighted split: about one request in ten goes to the canary.
    const stableLine = curls.find((c) => c.includes('api.example.com') && !c.includes('x-canary'))!
    const counts = { 'demo/api-stable:80': 0, 'demo/api-canary:80': 0 }
    for (let i = 0; i < 200; i++) {
      const res = await request(`http://127.0.0.1:${port}/`, { headers: { host: 'api.example.com' } })
      counts[servedBy(await res.body.text()) as keyof typeof counts]++
    }
    expect(stableLine).toBe(`curl -H 'Host: api.example.com' 'http://127.0.0.1:${port}/'`)
    expect(counts['demo/api-canary:80']).toBeGreaterThan(5)
    expect(counts['demo/api-canary:80']).toBeLessThan(50)
    expect(app.stderr()).toMatch(/GET api\.example\.com\/ 200 -> demo\/api-(stable|canary):80/)
  })

  it('stops the edge and every local backend on Ctrl-C, leaving nothing running', async () => {
    const backendPorts = [...app.stdout().matchAll(/= 127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]))
    expect(backendPorts).toHaveLength(4)
    app.signalGroup('SIGINT')
    await app.exited
    await eventually(async () => groupAlive(app.child.pid!), (alive) => !alive, 'every process of npm start to exit', 200, 50)
    for (const p of [port, adminPort, ...backendPorts]) expect(await refused(p), `port ${p}`).toBe(true)
    expect(app.stderr()).toContain('SIGINT, stopping the edge and 4 local backend(s)')
  })

  it('says in one line which port is taken, and exits', async () => {
    const taken: Server = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const takenPort = (taken.address() as { port: number }).port
    try {
      const app2 = npmStart('--port', String(takenPort), '--admin-port', String(await freePort()))
      expect(await app2.exited).not.toBe(0)
      const errors = app2.stderr().split('\n').filter((l) => l.includes('already in use'))
      expect(errors).toEqual([`edge-ingress: public port ${takenPort} on 127.0.0.1 is already in use: stop what uses it or choose other ports (npm start -- --port <n> --admin-port <n>)`])
      await eventually(async () => groupAlive(app2.child.pid!), (alive) => !alive, 'nothing of the failed start left running', 200, 50)
    } finally {
      taken.close()
    }
  })

  it('listens on 127.0.0.1:8080 by default', async () => {
    const { stdout } = await sh(process.execPath, ['controller/bin/edge-ingress.js', 'local', '--help'], { cwd: repo })
    expect(stdout).toMatch(/--port <port>\s+public port of the edge \(default: 8080\)/)
    expect(stdout).toMatch(/--host <address>[\s\S]*\(default:\s+"127\.0\.0\.1"\)/)
    expect((JSON.parse((await sh('npm', ['pkg', 'get', 'scripts.start'], { cwd: repo })).stdout) as string)).toBe('node controller/bin/edge-ingress.js local infra/examples')
  })
})
