// Where the controller publishes the route table for the edges. One adapter per target:
// S3 (immutable revision + pointer, adapters/aws/), a local file (atomic rename,
// adapters/fs/), and the controller's own HTTP endpoint (adapters/http/).
import type { RouteTable } from '../../../edge/src/route-table/types'

export interface RouteTableStore {
  /** For logs and metrics, e.g. `s3://bucket/route-tables/prod/route-table.json`. */
  readonly name: string
  /**
   * Publishes `table` (`body` is its JSON text). Resolves once a reader can see it; a failed
   * publish leaves the previously published table readable.
   */
  publish(table: RouteTable, body: string): Promise<void>
}
