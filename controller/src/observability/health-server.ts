// /metrics, /healthz and /readyz on their own port. A check is a named function that
// returns null when fine or a reason; /readyz and /healthz answer 503 with the reasons.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Registry } from 'prom-client'

export type Check = () => string | null

export interface HealthServerOptions {
  host: string
  port: number
  registry: Registry
  liveness: Record<string, Check>
  readiness: Record<string, Check>
}

export interface HealthServer {
  url: string
  close(): Promise<void>
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end()
      return
    }
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error)),
      )
      return
    }
    const checks = path === '/healthz' ? options.liveness : path === '/readyz' ? options.readiness : null
    if (!checks) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found', paths: ['/metrics', '/healthz', '/readyz'] }))
      return
    }
    const failing = Object.entries(checks)
      .map(([name, check]) => [name, check()] as const)
      .filter(([, reason]) => reason !== null)
    res
      .writeHead(failing.length === 0 ? 200 : 503, { 'content-type': 'application/json' })
      .end(JSON.stringify(failing.length === 0 ? { status: 'ok' } : { status: 'failing', checks: Object.fromEntries(failing) }))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
