// function-url mode's public entry: one CloudFront distribution whose only origin is
// the edge function's URL, signed with origin access control, so the URL itself
// answers nobody else. A function URL must receive its own Host, so a viewer-request
// CloudFront Function copies the client's Host into X-Forwarded-Host first: the
// router routes on it (CloudFront overwrites any client-sent value, so it is trusted).
// The origin request policy also carries CloudFront-Viewer-Address (VIEWER_ADDRESS_HEADER),
// the router's client address; trusted for the same reason: OAC makes CloudFront the only way in.
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront'
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins'
import type * as lambda from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import { distributionDefaults, DYNAMIC_BEHAVIOR, suppressOperatorChoices, type PublicEntryProps } from './public-entry'

export const FORWARD_HOST_FUNCTION_CODE = `function handler(event) {
  var request = event.request;
  request.headers['x-forwarded-host'] = { value: request.headers.host.value };
  return request;
}`

/**
 * The client address header CloudFront adds: AllViewerExceptHostHeader includes "all device
 * type and viewer location headers", CloudFront-Viewer-Address among them (`ip:port`). No custom
 * policy could add it: allExcept adds no CloudFront header, allViewerAndWhitelistCloudFront
 * forwards the viewer Host, which a function URL refuses.
 */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address'

export interface FunctionUrlDistributionProps extends PublicEntryProps {
  /** The edge function's URL (auth type AWS_IAM). */
  readonly functionUrl: lambda.IFunctionUrl
}

export class FunctionUrlDistribution extends Construct {
  readonly distribution: cloudfront.Distribution

  constructor(scope: Construct, id: string, props: FunctionUrlDistributionProps) {
    super(scope, id)
    const forwardHost = new cloudfront.Function(this, 'ForwardHost', {
      code: cloudfront.FunctionCode.fromInline(FORWARD_HOST_FUNCTION_CODE),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Copies the viewer Host into X-Forwarded-Host for the edge router',
    })
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      ...distributionDefaults(props, 'cloudfront/'),
      comment: 'edge-ingress: the single public entry (function-url mode)',
      defaultBehavior: {
        ...DYNAMIC_BEHAVIOR,
        origin: origins.FunctionUrlOrigin.withOriginAccessControl(props.functionUrl),
        // Everything the client sent except Host, which must stay the function URL's, and the
        // CloudFront viewer headers, CloudFront-Viewer-Address included.
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        functionAssociations: [{ function: forwardHost, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
    })
    suppressOperatorChoices(this.distribution, props)
  }
}
