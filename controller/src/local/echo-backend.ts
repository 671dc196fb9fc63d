// A stand-in for the pods behind one Service port, for local runs: answers every request with
// what it received as JSON, so a user sees which Service the edge chose and what it forwarded.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { close, listen } from '../../../edge/src/runtime/node/listen'

export interface EchoBackend {
  /** `namespace/name:port` of the Service port it stands for. */
  service: string
  address: string
  port: number
  close(): Promise<void>
}

export async function startEchoBackend(service: string, host = '127.0.0.1'): Promise<EchoBackend> {
  const server: Server = createServer((req, res) => {
    req.resume()
    req.once('end', () => {
      const body = JSON.stringify({ service, method: req.method, url: req.url, host: req.headers.host, headers: req.headers }, null, 2)
      res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': service }).end(req.method === 'HEAD' ? undefined : `${body}\n`)
    })
  })
  const address = await listen(server, 0, host, `local backend for ${service}`)
  return { service, address: host, port: (address as AddressInfo).port, close: () => close(server) }
}
