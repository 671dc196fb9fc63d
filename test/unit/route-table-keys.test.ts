// The controller writes, the edge reads and the CDK stack grants the same S3 keys: the CDK has
// its own copy of the layout (it is bundled apart from the edge), so this keeps the two equal.
import { describe, expect, it } from 'vitest'
import * as cdk from '../../cdk/lib/route-table-access'
import * as layout from '../../edge/src/route-table/store-layout'

describe('route-table keys', () => {
  it('are the same for the CDK grants and the controller/edge layout', () => {
    expect(cdk.ROUTE_TABLE_PREFIX).toBe(layout.ROUTE_TABLE_PREFIX)
    for (const cluster of ['default', 'prod-eu', 'a.b_c']) {
      expect(cdk.clusterPrefix(cluster)).toBe(layout.clusterPrefix(cluster))
      expect(cdk.clusterTableKey(cluster)).toBe(layout.clusterTableKey(cluster))
      // Revisions live under the prefix the controller may write and the edge may read.
      expect(layout.revisionKey(cluster, 'ab12').startsWith(cdk.clusterPrefix(cluster))).toBe(true)
    }
  })
})
