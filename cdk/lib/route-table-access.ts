// Who may touch which keys of the route-table bucket. Works on any IBucket, so the
// controller stack can grant on a bucket it only knows by name.
import * as iam from 'aws-cdk-lib/aws-iam'
import type * as s3 from 'aws-cdk-lib/aws-s3'
import { Construct } from 'constructs'
import { acknowledgeWildcardResources } from './nag-acknowledge'

/** Key prefix under which every cluster's tables live. */
export const ROUTE_TABLE_PREFIX = 'route-tables/'

/** The key prefix one cluster's controller may write. */
export function clusterPrefix(clusterName: string): string {
  return `${ROUTE_TABLE_PREFIX}${clusterName}/`
}

/** The key of a cluster's current table, where the edge reads it. */
export function clusterTableKey(clusterName: string): string {
  return `${clusterPrefix(clusterName)}route-table.json`
}

/** The edge reads every cluster's tables and lists the prefix (to find the clusters). */
export function grantReadRouteTables(bucket: s3.IBucket, grantee: iam.IGrantable): void {
  grantPrefix(bucket, grantee, ROUTE_TABLE_PREFIX, ['s3:GetObject'])
}

/** A controller writes, reads back and prunes its own cluster's tables, nothing else. */
export function grantWriteClusterRouteTables(bucket: s3.IBucket, grantee: iam.IGrantable, clusterName: string): void {
  grantPrefix(bucket, grantee, clusterPrefix(clusterName), ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'])
}

function grantPrefix(bucket: s3.IBucket, grantee: iam.IGrantable, prefix: string, objectActions: string[]): void {
  const objects = bucket.arnForObjects(`${prefix}*`)
  iam.Grant.addToPrincipal({ grantee, actions: objectActions, resourceArns: [objects] })
  if (Construct.isConstruct(grantee.grantPrincipal)) acknowledgeWildcardResources(grantee.grantPrincipal, [objects], `The wildcard is the key suffix under ${prefix}: one object per cluster and revision, names unknown in advance.`)
  grantee.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['s3:ListBucket'],
    resources: [bucket.bucketArn],
    conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } },
  }))
}
