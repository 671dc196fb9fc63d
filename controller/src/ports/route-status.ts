// Status writes of the route module, in our own types. The adapter (adapters/kubernetes/
// route-status.ts) patches the status subresource; every write is conditional on the
// resourceVersion it was computed from (ConflictError when the object moved on meanwhile,
// NotFoundError when it is gone).
import type { StatusUpdate } from '../routes/status/updates'

export interface RouteStatusWriter {
  /** Returns the object's new resourceVersion; `signal` aborts the request (the replica stopped leading). */
  write(update: StatusUpdate, signal?: AbortSignal): Promise<string>
}

/** What the cluster serves of the Gateway API, read once at start. */
export interface GatewayApiDiscovery {
  /** Resources (plural names) served as gateway.networking.k8s.io/v1; empty when the CRDs are not installed. */
  servedResources(): Promise<Set<string>>
  /** The CRDs' `gateway.networking.k8s.io/bundle-version` annotation, or null when it cannot be read. */
  bundleVersion(): Promise<string | null>
}
