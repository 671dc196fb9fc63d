// listen() as a promise with an error a user can act on (a taken port names the port).
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export function listen(server: Server, port: number, host: string, what: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      if (error.code === 'EADDRINUSE') reject(new Error(`${what} port ${port} on ${host} is already in use`))
      else if (error.code === 'EACCES') reject(new Error(`${what} port ${port} on ${host}: permission denied`))
      else reject(new Error(`${what} cannot listen on ${host}:${port}: ${error.message}`))
    }
    const onListening = () => {
      server.off('error', onError)
      resolve(server.address() as AddressInfo)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections?.()
  })
}
