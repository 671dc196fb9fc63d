// Where a runtime reads the published route table from: S3, the controller's HTTP endpoint
// (long-poll), a file, Workers KV (edge/src/adapters/). `tag` is the source's version marker
// (an ETag): a source answers `unchanged` cheaply when the table has not moved since
// `previousTag`.
import type { Logger } from '../observability/logger'
export type SourceRead = { kind: 'unchanged' } | { kind: 'missing' } | { kind: 'table'; text: string; tag: string | null }

export interface RouteTableSource {
  /** Human-readable origin for logs, e.g. `s3://bucket/key`. */
  readonly name: string
  read(previousTag: string | null): Promise<SourceRead>
  /** True when `read` itself waits for a change (long-poll): a follower reads again at once. */
  readonly blocking?: boolean
  /** Resolves at the next change or after `timeoutMs`, whichever is first (file watch); else the follower sleeps. */
  waitForChange?(timeoutMs: number, signal: AbortSignal): Promise<void>
}

/**
 * Keeps a holder fed from a source: `refresh` reads at most once per `intervalMs` and never
 * throws (a failing source leaves the last good table serving, logged by the caller's hook).
 */
export function createTableRefresher(
  source: RouteTableSource,
  load: (text: string, origin: string) => void,
  onError: (error: unknown) => void,
  intervalMs: number,
  now: () => number = Date.now,
) {
  let tag: string | null = null
  let lastRead = -Infinity
  let inflight: Promise<void> | null = null
  async function readOnce() {
    try {
      const result = await source.read(tag)
      if (result.kind === 'table') {
        tag = result.tag
        load(result.text, source.name)
      } else if (result.kind === 'missing') onError(new Error(`no route table at ${source.name}`))
    } catch (error) {
      onError(error)
    }
  }
  return {
    /** Resolves when a due read has finished (or at once when none is due). */
    refresh(): Promise<void> {
      if (now() - lastRead < intervalMs) return inflight ?? Promise.resolve()
      lastRead = now()
      inflight ??= readOnce().finally(() => (inflight = null))
      return inflight
    },
  }
}

/** A refresher that loads what `source` publishes into `tables` and logs read failures; null without a source. */
export function refresherFor(source: RouteTableSource | null, tables: { load(text: string, origin: string): unknown }, logger: Logger, intervalMs: number) {
  if (source === null) return null
  return createTableRefresher(
    source,
    (text, origin) => tables.load(text, origin),
    (error) => logger.error({ source: source.name, error: String(error) }, 'cannot read the route table; the last good one keeps serving'),
    intervalMs,
  )
}
