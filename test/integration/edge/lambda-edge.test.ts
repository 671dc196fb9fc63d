// The Lambda@Edge origin-request handler with real CloudFront event shapes. The bundled
// (esbuild, CommonJS) handler is loaded, as Lambda@Edge would load it, with the table baked in.
import type { CloudFrontRequest, CloudFrontRequestEvent, CloudFrontResultResponse } from 'aws-lambda'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleEdge } from '../../../edge/src/runtime/build/bundle'
import type { Filter, RouteTable } from '../../../edge/src/route-table/types'
import { route, table } from '../../spec-cases/builder'
import { originRequestEvent } from './support/lambda-events'

type Handler = (event: CloudFrontRequestEvent) => Promise<CloudFrontRequest | CloudFrontResultResponse>

const rewrite: Filter = { type: 'URLRewrite', hostname: 'internal.app.test', path: { type: 'ReplacePrefixMatch', value: '/v2' } }
const redirect: Filter = { type: 'RequestRedirect', scheme: 'https', hostname: null, port: null, path: null, statusCode: 308 }
const spec: RouteTable = {
  ...table({
    'app.test': [route({ object: 'demo/a', prefix: '/a', backend: 'demo/a:80' }), route({ object: 'demo/api', prefix: '/api', backend: 'demo/api:8080', filters: [rewrite] }), route({ object: 'demo/old', exact: '/old', backend: [], filters: [redirect] })],
  }),
}
// Gateways as the controller publishes them: NLB DNS names.
spec.gateways['gw-demo-a-80'] = { id: 'gw-demo-a-80', cluster: 'prod', address: 'a-1234.elb.eu-west-1.amazonaws.com', port: 80, protocol: 'http' }
spec.gateways['gw-demo-api-8080'] = { id: 'gw-demo-api-8080', cluster: 'prod', address: 'api-5678.elb.eu-west-1.amazonaws.com', port: 8443, protocol: 'https' }

let dir: string
let handler: Handler

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'edge-lambda-edge-'))
  const outfile = join(dir, 'index.js')
  await bundleEdge({ runtime: 'lambda-edge', snapshot: spec, outfile })
  handler = (createRequire(import.meta.url)(outfile) as { handler: Handler }).handler
})
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('Lambda@Edge origin-request', () => {
  it('points CloudFront at the gateway as a custom origin and keeps the client Host', async () => {
    const out = (await handler(originRequestEvent({ uri: '/a/x', querystring: 'q=1', host: 'app.test' }))) as CloudFrontRequest
    expect(out.origin?.custom).toMatchObject({ domainName: 'a-1234.elb.eu-west-1.amazonaws.com', port: 80, protocol: 'http', path: '' })
    expect(out.uri).toBe('/a/x')
    expect(out.querystring).toBe('q=1')
    expect(out.headers.host).toEqual([{ key: 'host', value: 'app.test' }])
    expect(out.headers['x-forwarded-host']?.[0]?.value).toBe('app.test')
    expect(out.headers['x-request-id']?.[0]?.value).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('leaves the headers CloudFront forbids or makes read-only as they were', async () => {
    const out = (await handler(originRequestEvent({ uri: '/a', host: 'app.test' }))) as CloudFrontRequest
    expect(out.headers.via).toEqual([{ key: 'Via', value: '2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)' }])
    expect(out.headers['accept-encoding']).toEqual([{ key: 'Accept-Encoding', value: 'gzip' }])
    expect(out.headers['x-forwarded-proto']).toBeUndefined()
    // CloudFront appends the viewer to X-Forwarded-For itself.
    expect(out.headers['x-forwarded-for']).toEqual([{ key: 'x-forwarded-for', value: '203.0.113.178' }])
  })

  it('applies URLRewrite to the origin request (Host and path) and picks the https gateway', async () => {
    const out = (await handler(originRequestEvent({ uri: '/api/users', host: 'app.test' }))) as CloudFrontRequest
    expect(out.origin?.custom).toMatchObject({ domainName: 'api-5678.elb.eu-west-1.amazonaws.com', port: 8443, protocol: 'https' })
    expect(out.uri).toBe('/v2/users')
    expect(out.headers.host?.[0]?.value).toBe('internal.app.test')
  })

  it('answers a redirect itself', async () => {
    const out = (await handler(originRequestEvent({ uri: '/old', querystring: 'x=1', host: 'app.test' }))) as CloudFrontResultResponse
    expect(out.status).toBe('308')
    expect(out.headers?.location?.[0]?.value).toBe('https://app.test/old?x=1')
  })

  it('answers 404 with a JSON body for a host in no rule', async () => {
    const out = (await handler(originRequestEvent({ uri: '/a', host: 'nobody.test' }))) as CloudFrontResultResponse
    expect(out.status).toBe('404')
    expect(JSON.parse(out.body!)).toMatchObject({ status: 404 })
    expect(out.headers?.['content-type']?.[0]?.value).toBe('application/json')
  })

  it('answers 400 for an encoded NUL in the path, never forwarding it', async () => {
    const out = (await handler(originRequestEvent({ uri: '/a/%00', host: 'app.test' }))) as CloudFrontResultResponse
    expect(out.status).toBe('400')
  })
})
