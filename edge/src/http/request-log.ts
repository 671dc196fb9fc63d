// The request log line, the same on every runtime: request id, method, host, path, status, the
// route id and backend chosen (null when none), the gateway and the duration.
import { describeBackend } from '../dispatch/plan'
import type { LogFields } from '../observability/logger'
import type { Routed } from './route-request'

export function requestLogFields(routed: Routed, method: string, status: number | null, durationMs: number, extra: LogFields = {}): LogFields {
  const plan = routed.plan
  const forward = plan?.kind === 'forward' ? plan : null
  return {
    requestId: routed.requestId,
    method,
    host: routed.host,
    path: routed.path,
    status,
    route: plan?.routeId ?? null,
    backend: forward ? describeBackend(forward.backend) : null,
    gateway: forward ? forward.gateway.id : null,
    durationMs: Math.round(durationMs * 100) / 100,
    ...extra,
  }
}
