// WebSocket through the Node edge: the upgrade request is routed like any other, then the
// client socket is spliced to a raw connection to the chosen gateway. After the 101, bytes
// flow both ways untouched until either side closes.
import { STATUS_CODES, type IncomingMessage } from 'node:http'
import { connect as netConnect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { Duplex } from 'node:stream'
import { errorResponse } from '../../http/responses'
import type { ForwardPlan } from '../../dispatch/types'

/** Writes a complete HTTP/1.1 response on a raw socket and closes it. */
export async function writeRawResponse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer())
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`]
  // The connection closes after this response whatever the response says.
  for (const [name, value] of response.headers) if (name !== 'connection') lines.push(`${name}: ${value}`)
  lines.push(`content-length: ${body.length}`, 'connection: close', '', '')
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n')), body]))
}

export function rawError(socket: Duplex, status: number, error: string, requestId: string): void {
  void writeRawResponse(socket, errorResponse(status, error, requestId))
}

/**
 * Opens the gateway connection, sends the upgrade request and splices the sockets. The
 * handshake must complete within the route's request timeout; the open connection has none.
 */
export function proxyWebSocket(plan: ForwardPlan, requestId: string, client: Duplex, head: Buffer, onDone: (status: number, error?: string) => void): void {
  const { gateway, upstream } = plan
  const options = { host: gateway.address, port: gateway.port }
  const upstreamSocket: Socket =
    gateway.protocol === 'https' ? tlsConnect({ ...options, servername: upstream.host.replace(/:\d+$/, '') }) : netConnect(options)
  let answered = false
  const timer = setTimeout(() => fail(504, `no answer from gateway ${gateway.id} within ${plan.timeouts.requestMs} ms`), plan.timeouts.requestMs)

  function fail(status: number, message: string) {
    clearTimeout(timer)
    upstreamSocket.destroy()
    if (!answered) {
      answered = true
      rawError(client, status, message, requestId)
      onDone(status, message)
    } else client.destroy()
  }

  upstreamSocket.once(gateway.protocol === 'https' ? 'secureConnect' : 'connect', () => {
    const lines = [`${upstream.method} ${upstream.path} HTTP/1.1`]
    for (const [name, value] of upstream.headers) lines.push(`${name}: ${value}`)
    upstreamSocket.write(lines.join('\r\n') + '\r\n\r\n')
    if (head.length > 0) upstreamSocket.write(head)
  })
  upstreamSocket.once('data', (chunk: Buffer) => {
    clearTimeout(timer)
    answered = true
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(chunk.subarray(0, 16).toString('latin1'))?.[1] ?? 0)
    onDone(status)
    client.write(chunk)
    upstreamSocket.pipe(client)
    client.pipe(upstreamSocket)
  })
  upstreamSocket.on('error', (error: NodeJS.ErrnoException) => fail(502, `cannot reach gateway ${gateway.id} (${gateway.address}:${gateway.port}): ${error.code ?? error.message}`))
  upstreamSocket.on('close', () => client.destroy())
  client.on('error', () => upstreamSocket.destroy())
  client.on('close', () => {
    clearTimeout(timer)
    upstreamSocket.destroy()
  })
}

export function upgradeRequest(req: IncomingMessage, scheme: 'http' | 'https'): Request {
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  const target = req.url ?? '/'
  const url = /^https?:\/\//i.test(target) ? target : `${scheme}://${req.headers.host ?? 'invalid'}${target}`
  return new Request(url, { method: req.method ?? 'GET', headers })
}
