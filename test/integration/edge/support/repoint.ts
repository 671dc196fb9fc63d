// A table whose named gateways point at other loopback ports (a silent server, a sink), with its
// revision recomputed: the edge skips a table whose revision it already serves.
import { withRevision } from '../../../../edge/src/route-table/revision'
import type { RouteTable } from '../../../../edge/src/route-table/types'

export async function repointGateways(table: RouteTable, ports: Record<string, number>): Promise<RouteTable> {
  const { revision: _old, ...content } = table
  const gateways = { ...content.gateways }
  for (const [id, port] of Object.entries(ports)) gateways[id] = { ...gateways[id]!, address: '127.0.0.1', port, protocol: 'http' }
  return withRevision({ ...content, gateways })
}
