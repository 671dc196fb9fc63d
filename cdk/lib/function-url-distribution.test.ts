import { App, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import * as acm from 'aws-cdk-lib/aws-certificatemanager'
import * as lambda from 'aws-cdk-lib/aws-lambda'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { describe, expect, it } from 'vitest'
import { FORWARD_HOST_FUNCTION_CODE, FunctionUrlDistribution } from './function-url-distribution'

function build(options: { domain?: boolean; webAclId?: string } = {}) {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } })
  const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler=1') })
  const functionUrl = fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM })
  new FunctionUrlDistribution(stack, 'Entry', {
    functionUrl,
    logBucket: new s3.Bucket(stack, 'Logs', { objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED }),
    ...(options.domain
      ? { domainNames: ['shop.example.com'], certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc') }
      : {}),
    webAclId: options.webAclId,
  })
  return Template.fromStack(stack)
}

describe('FunctionUrlDistribution', { timeout: 120_000 }, () => {
  it('signs every origin request with a Lambda origin access control', () => {
    const template = build()
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 'lambda', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    })
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Origins: [Match.objectLike({
          DomainName: { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^FnFunctionUrl'), 'FunctionUrl'] }] }] },
          OriginAccessControlId: { 'Fn::GetAtt': [Match.stringLikeRegexp('OriginAccessControl'), 'Id'] },
          CustomOriginConfig: Match.objectLike({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] }),
        })],
      },
    })
  })

  it('lets only this distribution invoke the function, and only through its URL', () => {
    const template = build()
    const thisDistribution = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/', { Ref: Match.stringLikeRegexp('^EntryDistribution') }]] }
    template.resourceCountIs('AWS::Lambda::Permission', 2)
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunctionUrl', Principal: 'cloudfront.amazonaws.com', SourceArn: thisDistribution })
    template.hasResourceProperties('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', InvokedViaFunctionUrl: true, Principal: 'cloudfront.amazonaws.com', SourceArn: thisDistribution })
  })

  it('forwards every method and viewer header but Host, caches nothing, and redirects HTTP to HTTPS', () => {
    build().hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        DefaultCacheBehavior: Match.objectLike({
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
          CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
          OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
          ViewerProtocolPolicy: 'redirect-to-https',
          FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('ForwardHost'), 'FunctionARN'] } }],
        }),
        HttpVersion: 'http2and3',
        Logging: { Bucket: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Logs'), 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
      },
    })
  })

  it('copies the viewer Host into X-Forwarded-Host, replacing a value the client sent', () => {
    const handler = new Function(`${FORWARD_HOST_FUNCTION_CODE}; return handler`)() as (event: unknown) => { headers: Record<string, { value: string }> }
    const request = handler({ request: { headers: { host: { value: 'shop.example.com' }, 'x-forwarded-host': { value: 'evil.example' } } } })
    expect(request.headers['x-forwarded-host']).toEqual({ value: 'shop.example.com' })
    expect(request.headers.host).toEqual({ value: 'shop.example.com' })
  })

  it('serves custom domains with TLS 1.2 at least, over SNI', () => {
    build({ domain: true }).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: {
        Aliases: ['shop.example.com'],
        ViewerCertificate: { AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc', MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      },
    })
  })

  it('attaches a WAF web ACL when given one', () => {
    build({ webAclId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc' }).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: { WebACLId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc' },
    })
  })

  it('refuses a domain without a certificate', () => {
    const stack = new Stack(new App(), 'S')
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('x') })
    expect(() => new FunctionUrlDistribution(stack, 'Entry', {
      functionUrl: fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM }),
      logBucket: new s3.Bucket(stack, 'Logs'),
      domainNames: ['shop.example.com'],
    })).toThrow(/domainNames and certificate go together/)
  })
})
