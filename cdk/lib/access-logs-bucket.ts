// Where S3 server access logs and CloudFront standard logs land: private, encrypted,
// TLS only, expiring. CloudFront standard logging still writes through bucket ACLs,
// hence BUCKET_OWNER_PREFERRED instead of ACLs disabled.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'

export interface AccessLogsBucketProps {
  /**
   * How long log objects are kept.
   * @default Duration.days(90)
   */
  readonly expiration?: Duration
  /**
   * What happens to the bucket when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy
}

export class AccessLogsBucket extends Construct {
  readonly bucket: s3.IBucket

  constructor(scope: Construct, id: string, props: AccessLogsBucketProps = {}) {
    super(scope, id)
    const bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: props.expiration ?? Duration.days(90) }],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    })
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log destination itself; logging it into itself would loop and logging it elsewhere needs yet another bucket.',
    })
    this.bucket = bucket
  }
}
