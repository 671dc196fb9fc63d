// A TCP forwarder on a loopback port to another loopback address: what a client pointed at
// `port` reaches comes and goes as the forwarder is opened and closed (an API server that is
// unreachable, then reachable). TLS passes through untouched.
import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { loopback } from '../../env/ports'

export class TcpForwarder {
  private server: Server | null = null
  private readonly sockets = new Set<Socket>()

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection(this.target)
      for (const socket of [client, upstream]) {
        this.sockets.add(socket)
        socket.on('close', () => this.sockets.delete(socket))
        socket.on('error', () => (socket === client ? upstream : client).destroy())
      }
      client.pipe(upstream).pipe(client)
    })
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, loopback, () => resolve()))
    this.server = server
  }

  /** Stops listening and cuts every forwarded connection. */
  async close(): Promise<void> {
    const server = this.server
    this.server = null
    for (const socket of this.sockets) socket.destroy()
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
