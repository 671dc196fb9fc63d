// Re-points every gateway of a table at its own local echo server (named by gateway id), so a
// response tells which backend the edge chose. The revision is recomputed: the edge skips a
// table whose revision it already serves.
import { withRevision } from '../../../../edge/src/route-table/revision'
import type { RouteTable } from '../../../../edge/src/route-table/types'
import { closedPort, startEchoServer, type EchoServer } from './echo-server'

export interface LiveGateways {
  table: RouteTable
  servers: Record<string, EchoServer>
  close(): Promise<void>
}

/** `down`: gateway ids to point at a loopback port where nothing listens. */
export async function startGateways(table: RouteTable, down: string[] = []): Promise<LiveGateways> {
  const servers: Record<string, EchoServer> = {}
  const gateways: RouteTable['gateways'] = {}
  for (const [id, gateway] of Object.entries(table.gateways)) {
    if (down.includes(id)) {
      gateways[id] = { ...gateway, address: '127.0.0.1', port: await closedPort(), protocol: 'http' }
      continue
    }
    servers[id] = await startEchoServer(id)
    gateways[id] = { ...gateway, address: '127.0.0.1', port: servers[id]!.port, protocol: 'http' }
  }
  const { revision: _old, ...content } = { ...table, gateways }
  return {
    table: await withRevision(content),
    servers,
    close: async () => {
      await Promise.all(Object.values(servers).map((s) => s.close()))
    },
  }
}
