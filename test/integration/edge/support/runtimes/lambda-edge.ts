// The Lambda@Edge origin-request handler with CloudFront events: it never forwards, so a
// "forward" is the request handed back with the gateway as its custom origin.
import type { CloudFrontResultResponse } from 'aws-lambda'
import { createOriginRequestHandler } from '../../../../../edge/src/runtime/lambda-edge'
import { CapturedLogs } from '../captured-logs'
import { originRequestEvent } from '../lambda-events'
import { headersWithoutHost, splitSpecUrl, type SpecDriver } from '../spec-runner'

export const lambdaAtEdge: SpecDriver = {
  name: 'Lambda@Edge (origin-request events)',
  forwards: false,
  async start(cases) {
    const logs = new CapturedLogs()
    const handlers = cases.map(({ gateways }) => createOriginRequestHandler({ snapshot: gateways.table, source: null, logger: logs.logger }))
    return {
      logs,
      async send(index, request, requestId) {
        const { scheme, authority, path, query } = splitSpecUrl(request.url)
        const event = originRequestEvent({ uri: path, querystring: query, host: authority, method: request.method, scheme, headers: headersWithoutHost(request, requestId) })
        const result = await handlers[index]!(event)
        if ('origin' in result && result.origin?.custom) {
          const { domainName, port } = result.origin.custom
          const gateway = Object.values(cases[index]!.gateways.table.gateways).find((g) => g.address === domainName && g.port === port)
          return { status: null, server: gateway?.id ?? `unknown origin ${domainName}:${port}`, headers: new Headers(), body: '' }
        }
        const answer = result as CloudFrontResultResponse
        const headers = new Headers(Object.values(answer.headers ?? {}).flatMap((values) => values.map(({ key, value }) => [key ?? '', value] as [string, string])))
        return { status: Number(answer.status), server: null, headers, body: answer.body ?? '' }
      },
      stop: async () => {},
    }
  },
}

