// The edge's metrics port. Prometheus (prom-client) implements it on Node; other runtimes
// use the no-op one and rely on their platform's request metrics and the log lines.
import type { UpstreamFailure } from '../forward/forwarder'

export interface EdgeMetrics {
  /** One finished client request: routeId null when no route matched. */
  request(routeId: string | null, status: number, seconds: number): void
  /** One attempt to a gateway; status 0 when it failed without a response. */
  upstream(gateway: string, status: number, seconds: number): void
  /** A route-table load: accepted (with its revision) or refused. */
  tableLoad(accepted: boolean, revision: string | null): void
  /** An attempt to a gateway got no response; `ejected` when this started its cool-down (failover). */
  gatewayFailure?(gateway: string, failure: UpstreamFailure, ejected: boolean): void
  /** A request moved from a gateway that gave no response to another one. */
  failover?(from: string, to: string): void
  /** One read of a route-table source (issue 4): a failure leaves the last good table serving. */
  sourceRead?(source: string, outcome: SourceReadOutcome): void
}

/** table: a new table arrived; refused: it did not parse; missing: nothing published yet; error: unreachable or bad answer. */
export type SourceReadOutcome = 'table' | 'unchanged' | 'missing' | 'refused' | 'error'

export const noMetrics: EdgeMetrics = { request() {}, upstream() {}, tableLoad() {} }
