import { App, Stack } from 'aws-cdk-lib'
import { Match, Template } from 'aws-cdk-lib/assertions'
import * as iam from 'aws-cdk-lib/aws-iam'
import { describe, it } from 'vitest'
import { AccessLogsBucket } from './access-logs-bucket'
import { grantReadRouteTables, grantWriteClusterRouteTables } from './route-table-access'
import { RouteTableBucket } from './route-table-bucket'

function build() {
  const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'eu-west-1' } })
  const logs = new AccessLogsBucket(stack, 'Logs')
  const tables = new RouteTableBucket(stack, 'Tables', { serverAccessLogsBucket: logs.bucket, bucketName: 'route-tables-test' })
  return { stack, tables }
}

describe('RouteTableBucket', { timeout: 120_000 }, () => {
  it('is versioned, encrypted, private and logs its access', () => {
    const template = Template.fromStack(build().stack)
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'route-tables-test',
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('^LogsBucket') }, LogFilePrefix: 'route-table-bucket/' },
    })
  })

  it('denies every request that does not use TLS', () => {
    const template = Template.fromStack(build().stack)
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^TablesBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        })]),
      },
    })
  })

  it('is kept when the stack is deleted (the tables are the running configuration)', () => {
    const template = Template.fromStack(build().stack)
    template.hasResource('AWS::S3::Bucket', { Properties: { BucketName: 'route-tables-test' }, DeletionPolicy: 'Retain' })
  })
})

describe('AccessLogsBucket', { timeout: 120_000 }, () => {
  it('accepts CloudFront standard logs (ACLs) and expires them', () => {
    const template = Template.fromStack(build().stack)
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 90, Status: 'Enabled' }] },
      PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true, RestrictPublicBuckets: true }),
    })
  })
})

describe('route-table access', { timeout: 120_000 }, () => {
  function policyAfter(grant: (tables: RouteTableBucket, role: iam.Role) => void): Template {
    const { stack, tables } = build()
    grant(tables, new iam.Role(stack, 'Grantee', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }))
    return Template.fromStack(stack)
  }
  const bucketArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^TablesBucket'), 'Arn'] }
  const objects = (prefix: string) => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] })

  it('lets the edge read objects under route-tables/ and list only that prefix', () => {
    policyAfter((tables, role) => grantReadRouteTables(tables.bucket, role)).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.exact({ Effect: 'Allow', Action: 's3:GetObject', Resource: objects('route-tables/') }),
          Match.exact({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': ['route-tables/*'] } } }),
        ],
      },
    })
  })

  it("lets a controller write only its own cluster's prefix", () => {
    policyAfter((tables, role) => grantWriteClusterRouteTables(tables.bucket, role, 'prod-eu')).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          Match.exact({ Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'], Resource: objects('route-tables/prod-eu/') }),
          Match.exact({ Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': ['route-tables/prod-eu/*'] } } }),
        ],
      },
    })
  })
})
