// The real Lambda handler (hono/aws-lambda) called with real event shapes: a Function URL
// (payload v2) event behind CloudFront and an API Gateway REST (v1) event, forwarding to
// real echo backends on loopback.
import type { APIGatewayProxyEvent } from 'aws-lambda'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../edge/src/observability/logger'
import { createLambdaHandler } from '../../../edge/src/runtime/aws-lambda'
import { action, gatewayId, route, table } from '../../spec-cases/builder'
import type { Echoed } from './support/echo-server'
import { functionUrlEvent } from './support/lambda-events'
import { startGateways, type LiveGateways } from './support/gateways'

const A = 'demo/a:80'
let gateways: LiveGateways
let handler: ReturnType<typeof createLambdaHandler>

function restApiEvent(o: { path: string; host: string; method?: string }): APIGatewayProxyEvent {
  return {
    resource: '/{proxy+}',
    path: o.path,
    httpMethod: o.method ?? 'GET',
    headers: { Host: o.host, 'User-Agent': 'curl/8.5.0', 'X-Forwarded-Proto': 'https', 'X-Forwarded-For': '198.51.100.4' },
    multiValueHeaders: { Host: [o.host], 'User-Agent': ['curl/8.5.0'], 'X-Forwarded-Proto': ['https'], 'X-Forwarded-For': ['198.51.100.4'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: o.path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: '1234567890',
      authorizer: null,
      domainName: o.host,
      domainPrefix: o.host.split('.')[0]!,
      extendedRequestId: 'c6af9ac6-xmpl',
      httpMethod: o.method ?? 'GET',
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null, cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null, cognitoIdentityId: null, cognitoIdentityPoolId: null, principalOrgId: null,
        sourceIp: '198.51.100.4', user: null, userAgent: 'curl/8.5.0', userArn: null,
      },
      path: `/prod${o.path}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1773342238000,
      resourceId: 'roq9wj',
      resourcePath: '/{proxy+}',
      stage: 'prod',
    },
    body: null,
    isBase64Encoded: false,
  }
}

beforeAll(async () => {
  gateways = await startGateways(
    table({
      'app.test': [
        route({ object: 'demo/a', prefix: '/a', backend: A }),
        { ...route({ object: 'demo/slow', prefix: '/slow', backend: A }), action: { ...action(A), timeouts: { requestMs: 300, backendMs: null } } },
      ],
    }),
  )
  handler = createLambdaHandler({ snapshot: gateways.table, source: null, logger: silentLogger })
})
afterAll(async () => gateways?.close())

describe('Lambda (Function URL, payload v2)', () => {
  it('routes on the viewer host from X-Forwarded-Host and forwards with Host kept', async () => {
    const result = await handler(functionUrlEvent({ path: '/a/x', query: 'q=1', viewerHost: 'app.test' }))
    expect(result.statusCode).toBe(200)
    const echoed = JSON.parse(result.body) as Echoed
    expect(echoed.server).toBe(gatewayId(A))
    expect(echoed.url).toBe('/a/x?q=1')
    expect(echoed.headers.host).toBe('app.test')
    expect(echoed.headers['x-forwarded-host']).toBe('app.test')
    expect(echoed.headers['x-forwarded-proto']).toBe('https')
    expect(echoed.headers['x-forwarded-for']).toBe('203.0.113.9, 130.176.1.1, 130.176.1.1')
  })

  it('forwards a POST body', async () => {
    const result = await handler(functionUrlEvent({ path: '/a/upload', method: 'POST', viewerHost: 'app.test', body: '{"x":1}', headers: { 'content-type': 'application/json' } }))
    expect((JSON.parse(result.body) as Echoed).body).toBe('{"x":1}')
  })

  it('passes an upstream redirect through instead of following it', async () => {
    const result = await handler(functionUrlEvent({ path: '/a/moved', viewerHost: 'app.test', headers: { 'x-echo-status': '302', 'x-echo-location': 'http://169.254.169.254/latest/meta-data' } }))
    expect(result.statusCode).toBe(302)
    expect(result.headers?.location).toBe('http://169.254.169.254/latest/meta-data')
  })

  it('answers 504 with a JSON error when the gateway does not answer within the route timeout', async () => {
    const result = await handler(functionUrlEvent({ path: '/slow', viewerHost: 'app.test', headers: { 'x-echo-delay-ms': '5000' } }))
    expect(result.statusCode).toBe(504)
    expect(JSON.parse(result.body)).toMatchObject({ status: 504, error: expect.stringMatching(/within 300 ms/) })
  })

  it('answers 404 with a JSON body for a host in no rule', async () => {
    const result = await handler(functionUrlEvent({ path: '/a', viewerHost: 'nobody.test' }))
    expect(result.statusCode).toBe(404)
    expect(JSON.parse(result.body)).toMatchObject({ status: 404, requestId: expect.any(String) })
  })
})

describe('Lambda (API Gateway REST, payload v1)', () => {
  it('routes on the custom domain and forwards', async () => {
    const result = await handler(restApiEvent({ path: '/a/y', host: 'app.test' }))
    expect(result.statusCode).toBe(200)
    const echoed = JSON.parse(result.body) as Echoed
    expect(echoed.server).toBe(gatewayId(A))
    expect(echoed.headers.host).toBe('app.test')
  })

  it('answers 404 for an unknown host', async () => {
    expect((await handler(restApiEvent({ path: '/a', host: 'other.test' }))).statusCode).toBe(404)
  })
})

describe('Lambda without a table', () => {
  it('answers 503 with JSON while no table has loaded', async () => {
    const empty = createLambdaHandler({ snapshot: null, source: null, logger: silentLogger })
    const result = await empty(functionUrlEvent({ path: '/a', viewerHost: 'app.test' }))
    expect(result.statusCode).toBe(503)
    expect(JSON.parse(result.body)).toMatchObject({ error: 'no route table loaded yet' })
  })
})
