// The Node edge over real sockets. Requests are written as a client sends them: origin-form with
// Host (the URL's authority, as written), or absolute-form when the case gives a Host that
// differs (the target's authority must win). Paths go out byte for byte, never normalised by a
// URL parser on the way. One edge serves every case; its table is swapped between cases.
import { Pool } from 'undici'
import { startNodeEdge, type NodeEdge } from '../../../../../edge/src/runtime/node'
import { noMetrics } from '../../../../../edge/src/observability/metrics'
import { RouteTableHolder } from '../../../../../edge/src/table/route-table-holder'
import { CapturedLogs } from '../captured-logs'
import { headersWithoutHost, observeResponse, splitSpecUrl, type SpecDriver } from '../spec-runner'

export const nodeEdge: SpecDriver = {
  name: 'the Node edge over real sockets',
  forwards: true,
  async start(cases) {
    const logs = new CapturedLogs()
    const tables = new RouteTableHolder(logs.logger, noMetrics)
    const edge: NodeEdge = await startNodeEdge({ tables, logger: logs.logger, host: '127.0.0.1', port: 0, adminPort: null })
    const client = new Pool(`http://127.0.0.1:${edge.address.port}`, { connections: 4 })
    return {
      logs,
      async send(index, request, requestId) {
        tables.load(cases[index]!.gateways.table, `spec case ${index}`)
        const { authority, target } = splitSpecUrl(request.url)
        const host = Object.entries(request.headers ?? {}).find(([name]) => name.toLowerCase() === 'host')?.[1]
        const absoluteForm = host !== undefined && host.toLowerCase() !== authority.toLowerCase()
        const res = await client.request({
          path: absoluteForm ? request.url : target,
          method: request.method ?? 'GET',
          headers: { ...headersWithoutHost(request, requestId), host: host ?? authority },
        })
        const headers = new Headers()
        for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers.set(name, String(value))
        return observeResponse(new Response(await res.body.arrayBuffer(), { status: res.statusCode, headers }))
      },
      async stop() {
        await client.close()
        await edge.close()
      },
    }
  },
}
