// What both edge modes share about the CloudFront distribution in front of them:
// TLS settings, logging, no caching (the edge routes dynamic traffic), and the
// cdk-nag findings that follow from a choice the operator makes.
import * as acm from 'aws-cdk-lib/aws-certificatemanager'
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Validations } from 'aws-cdk-lib'

/** Props of a public entry (either mode); the constructs extend this. */
export interface PublicEntryProps {
  /** Bucket receiving the CloudFront standard logs (needs ACLs: BUCKET_OWNER_PREFERRED). */
  readonly logBucket: s3.IBucket
  /**
   * Alternate domain names served by the distribution.
   * @default - only the *.cloudfront.net name
   */
  readonly domainNames?: string[]
  /**
   * Certificate (us-east-1) covering `domainNames`; required with them.
   * @default - the default CloudFront certificate
   */
  readonly certificate?: acm.ICertificate
  /**
   * ARN of an AWS WAF web ACL (CLOUDFRONT scope) to attach.
   * @default - no web ACL
   */
  readonly webAclId?: string
  /**
   * Edge locations used.
   * @default cloudfront.PriceClass.PRICE_CLASS_ALL
   */
  readonly priceClass?: cloudfront.PriceClass
}

/** Distribution settings common to both modes, before the behaviours. */
export function distributionDefaults(props: PublicEntryProps, logPrefix: string): Partial<cloudfront.DistributionProps> {
  if (Boolean(props.domainNames?.length) !== Boolean(props.certificate)) {
    throw new Error('domainNames and certificate go together: a custom domain needs a certificate in us-east-1 and vice versa')
  }
  return {
    // The minimum protocol only applies to a custom certificate (the default one is fixed).
    ...(props.domainNames?.length
      ? { domainNames: props.domainNames, certificate: props.certificate, minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 }
      : {}),
    httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
    priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_ALL,
    enableLogging: true,
    logBucket: props.logBucket,
    logFilePrefix: logPrefix,
    ...(props.webAclId ? { webAclId: props.webAclId } : {}),
  }
}

/** Behaviour settings common to both modes: every method, nothing cached, HTTPS only. */
export const DYNAMIC_BEHAVIOR = {
  allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
  cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
  viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
} as const

/** Justifies the findings that depend on the operator's choices, not on this code. */
export function suppressOperatorChoices(distribution: cloudfront.Distribution, props: PublicEntryProps): void {
  Validations.of(distribution).acknowledge(
    { id: 'AwsSolutions-CFR1', reason: 'The edge serves every host of the fleet worldwide; geo restrictions are a per-deployment policy, not a default.' },
    ...(props.webAclId
      ? []
      : [{ id: 'AwsSolutions-CFR2', reason: 'A WAF web ACL is an operator choice (cost, rules); pass webAclId to attach one.' }]),
    ...(props.certificate
      ? []
      : [{ id: 'AwsSolutions-CFR4', reason: 'Without domainNames the default *.cloudfront.net certificate is used, whose minimum protocol CloudFront fixes; set domainNames and certificateArn to enforce TLSv1.2_2021.' }]),
  )
}
