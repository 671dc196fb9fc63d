// Where a runtime reads the published route table from: S3, the controller's HTTP endpoint
// (long-poll), a file, Workers KV (edge/src/adapters/). `tag` is the source's version marker
// (an ETag): a source answers `unchanged` cheaply when the table has not moved since
// `previousTag`.
export type SourceRead = { kind: 'unchanged' } | { kind: 'missing' } | { kind: 'table'; text: string; tag: string | null }

export interface RouteTableSource {
  /** Human-readable origin for logs, e.g. `s3://bucket/key`. */
  readonly name: string
  /** `signal` ends a read in progress (a long-poll, a slow GET) when the edge stops: it then rejects. */
  read(previousTag: string | null, signal?: AbortSignal): Promise<SourceRead>
  /** True when `read` itself waits for a change (long-poll): a follower reads again at once. */
  readonly blocking?: boolean
  /**
   * True when `missing` means the publisher withdrew the table (an object-store pointer or a file
   * deleted): the edge then drops this source's table from the merge. False for the controller's
   * endpoint, whose "nothing yet" only means a controller is starting (docs/multi-cluster.md).
   */
  readonly withdrawable?: boolean
  /** Resolves at the next change or after `timeoutMs`, whichever is first (file watch); else the follower sleeps. */
  waitForChange?(timeoutMs: number, signal: AbortSignal): Promise<void>
}
