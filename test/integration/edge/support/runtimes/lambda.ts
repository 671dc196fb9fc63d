// The real Lambda handler (hono/aws-lambda) with Function URL events as CloudFront delivers
// them: the viewer's host (with the listener port written out) in X-Forwarded-Host.
import { createLambdaHandler } from '../../../../../edge/src/runtime/aws-lambda'
import { CapturedLogs } from '../captured-logs'
import { functionUrlEvent } from '../lambda-events'
import { authorityWithPort, headersWithoutHost, splitSpecUrl, type SpecDriver } from '../spec-runner'

export const lambdaEdge: SpecDriver = {
  name: 'AWS Lambda (Function URL events)',
  forwards: true,
  async start(cases) {
    const logs = new CapturedLogs()
    const handlers = cases.map(({ gateways }) => createLambdaHandler({ snapshot: gateways.table, source: null, logger: logs.logger }))
    return {
      logs,
      async send(index, request, requestId) {
        const { path, query } = splitSpecUrl(request.url)
        const event = functionUrlEvent({ path, query, method: request.method, viewerHost: authorityWithPort(request.url), headers: headersWithoutHost(request, requestId) })
        const result = await handlers[index]!(event)
        const headers = new Headers(Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)]))
        const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString('utf8') : result.body
        return { status: result.statusCode, server: headers.get('x-served-by'), headers, body }
      },
      stop: async () => {},
    }
  },
}
