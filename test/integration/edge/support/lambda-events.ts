// Lambda event shapes as AWS delivers them, for the real handlers: a Function URL (payload v2)
// event behind CloudFront, and a CloudFront origin-request event for Lambda@Edge.
import type { APIGatewayProxyEventV2, CloudFrontRequest, CloudFrontRequestEvent } from 'aws-lambda'

/** A Function URL event as Lambda delivers it when CloudFront (with X-Forwarded-Host) calls the URL. */
export function functionUrlEvent(o: { path: string; query?: string; method?: string; viewerHost: string; headers?: Record<string, string>; body?: string }): APIGatewayProxyEventV2 {
  const domainName = 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws'
  const headers: Record<string, string> = {
    host: domainName,
    'x-forwarded-host': o.viewerHost,
    'x-forwarded-proto': 'https',
    'x-forwarded-for': '203.0.113.9, 130.176.1.1',
    'x-amzn-trace-id': 'Root=1-5e6722a7-cc56xmpl46db7ae02d4da47e',
    'user-agent': 'curl/8.5.0',
  }
  // Lambda delivers header names in lowercase.
  for (const [name, value] of Object.entries(o.headers ?? {})) headers[name.toLowerCase()] = value
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: o.path,
    rawQueryString: o.query ?? '',
    headers,
    queryStringParameters: o.query ? Object.fromEntries(new URLSearchParams(o.query)) : undefined,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdefghijklmnop',
      domainName,
      domainPrefix: 'abcdefghijklmnop',
      http: { method: o.method ?? 'GET', path: o.path, protocol: 'HTTP/1.1', sourceIp: '130.176.1.1', userAgent: 'Amazon CloudFront' },
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2026:19:03:58 +0000',
      timeEpoch: 1773342238000,
    },
    body: o.body,
    isBase64Encoded: false,
  }
}

/** The origin-request event CloudFront sends for a distribution whose default origin is a placeholder. */
export function originRequestEvent(o: { uri: string; querystring?: string; host: string; method?: string; scheme?: 'http' | 'https'; headers?: Record<string, string> }): CloudFrontRequestEvent {
  const headers: CloudFrontRequest['headers'] = {
    host: [{ key: 'Host', value: o.host }],
    'user-agent': [{ key: 'User-Agent', value: 'Amazon CloudFront' }],
    via: [{ key: 'Via', value: '2.0 2afae0d44e2540f472c0635ab62c232b.cloudfront.net (CloudFront)' }],
    'accept-encoding': [{ key: 'Accept-Encoding', value: 'gzip' }],
    'x-forwarded-for': [{ key: 'X-Forwarded-For', value: '203.0.113.178' }],
    'cloudfront-forwarded-proto': [{ key: 'CloudFront-Forwarded-Proto', value: o.scheme ?? 'https' }],
  }
  for (const [name, value] of Object.entries(o.headers ?? {})) headers[name.toLowerCase()] = [{ key: name, value }]
  return {
    Records: [
      {
        cf: {
          config: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'origin-request', requestId: '4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==' },
          request: {
            clientIp: '203.0.113.178',
            headers,
            method: o.method ?? 'GET',
            origin: {
              custom: { customHeaders: {}, domainName: 'placeholder.invalid', keepaliveTimeout: 5, path: '', port: 443, protocol: 'https', readTimeout: 30, sslProtocols: ['TLSv1.2'] },
            },
            querystring: o.querystring ?? '',
            uri: o.uri,
          },
        },
      },
    ],
  }
}
