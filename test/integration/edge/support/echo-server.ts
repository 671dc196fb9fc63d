// A real HTTP backend on loopback that answers with what it received, so tests can check what
// the edge forwarded. Request headers steer it: x-echo-status, x-echo-delay-ms (before the
// head), x-echo-location, x-echo-stream (chunks sent 20 ms apart), x-echo-fail-first: N (the
// first N requests carrying the same x-echo-key answer 503), x-echo-pipe (answer at once and
// send the request body back as it arrives).
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'

export interface Echoed {
  server: string
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  /** The field lines as sent ([name, value, ...]): Node's `headers` joins repeated ones with ", ". */
  rawHeaders: string[]
  body: string
}

/** A header's field lines joined with ",", as a Go backend (the Gateway API conformance echo server) reports them. */
export const fieldLinesAsGoJoins = (raw: readonly string[], name: string): string =>
  raw.filter((_, i) => i % 2 === 1 && raw[i - 1]!.toLowerCase() === name).join(',')

export interface EchoServer {
  name: string
  port: number
  /** Every request received, in order. */
  received: Echoed[]
  close(): Promise<void>
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export async function startEchoServer(name: string): Promise<EchoServer> {
  const received: Echoed[] = []
  const seen = new Map<string, number>()
  const server: Server = createServer(async (req, res) => {
    if (req.headers['x-echo-pipe'] !== undefined) {
      // Answers at once and sends the request body back as it arrives (full-duplex streaming).
      res.writeHead(200, { 'content-type': 'text/plain', 'x-served-by': name })
      req.pipe(res)
      req.once('end', () => received.push({ server: name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body: '' }))
      return
    }
    const body = await readBody(req)
    const echoed: Echoed = { server: name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, rawHeaders: req.rawHeaders, body }
    received.push(echoed)
    const delay = Number(req.headers['x-echo-delay-ms'] ?? 0)
    if (delay > 0) await new Promise((r) => setTimeout(r, delay))
    if (res.destroyed) return
    const key = String(req.headers['x-echo-key'] ?? '')
    seen.set(key, (seen.get(key) ?? 0) + 1)
    const failing = seen.get(key)! <= Number(req.headers['x-echo-fail-first'] ?? 0)
    const status = failing ? 503 : Number(req.headers['x-echo-status'] ?? 200)
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-served-by': name, connection: 'keep-alive', 'keep-alive': 'timeout=5' }
    if (req.headers['x-echo-location']) headers.location = String(req.headers['x-echo-location'])
    const chunks = Number(req.headers['x-echo-stream'] ?? 0)
    if (chunks > 0) {
      res.writeHead(status, { ...headers, 'content-type': 'text/plain' })
      for (let i = 0; i < chunks; i++) {
        res.write(`chunk ${i}\n`)
        await new Promise((r) => setTimeout(r, 20))
      }
      res.end()
      return
    }
    res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : JSON.stringify(echoed))
  })
  const wss = new WebSocketServer({ server })
  wss.on('connection', (socket, req) => {
    socket.send(JSON.stringify({ server: name, url: req.url, host: req.headers.host }))
    socket.on('message', (data) => socket.send(`echo: ${String(data)}`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    name,
    port: (server.address() as AddressInfo).port,
    received,
    close: () =>
      new Promise((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** A loopback port with nothing listening (for "gateway down" tests). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}
