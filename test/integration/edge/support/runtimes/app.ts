// The Hono app in process (app.fetch with web Requests), forwarding through the undici pool to
// the echo servers: the dispatch logic without a runtime around it.
import { createEdgeApp } from '../../../../../edge/src/app'
import { createUndiciForwarder } from '../../../../../edge/src/forward/undici-forwarder'
import { noMetrics } from '../../../../../edge/src/observability/metrics'
import { RouteTableHolder } from '../../../../../edge/src/table/route-table-holder'
import { CapturedLogs } from '../captured-logs'
import { headersWithoutHost, observeResponse, type SpecDriver } from '../spec-runner'

export const inProcessApp: SpecDriver = {
  name: 'the Hono app in process',
  forwards: true,
  async start(cases) {
    const logs = new CapturedLogs()
    const forwarder = createUndiciForwarder()
    const apps = cases.map(({ gateways }) => {
      const tables = new RouteTableHolder(logs.logger, noMetrics)
      tables.load(gateways.table, 'spec case')
      return createEdgeApp({
        tables,
        forwarder,
        logger: logs.logger,
        requestContext: (c) => ({ address: '127.0.0.1', scheme: c.req.url.startsWith('https:') ? 'https' : 'http', signal: c.req.raw.signal }),
      })
    })
    return {
      logs,
      send: async (index, request, requestId) =>
        observeResponse(await apps[index]!.fetch(new Request(request.url, { method: request.method ?? 'GET', headers: headersWithoutHost(request, requestId), redirect: 'manual' }))),
      stop: () => forwarder.close?.() ?? Promise.resolve(),
    }
  },
}
