// What the API server serves and this identity may read, among the optional resources of the
// route module (Gateway API, edge-ingress.io, API-key Secrets). The adapter asks the apiserver's
// discovery documents and RBAC; the route module re-asks periodically (resources-tracker.ts).

export interface ServedResources {
  /** Plural names served as gateway.networking.k8s.io/v1. */
  gatewayApi: ReadonlySet<string>
  /** Plural names served as edge-ingress.io/v1alpha1 and listable. */
  edgeIngressReadable: ReadonlySet<string>
  /** Served as edge-ingress.io/v1alpha1 but refused by RBAC. */
  edgeIngressForbidden: readonly string[]
  /** Secrets labelled as API keys may be listed (only asked when enabled: --api-key-secrets). */
  apiKeySecrets: boolean
}

export interface ServedResourcesProbe {
  /** Rejects when the API server cannot be asked (unreachable, unexpected answer). */
  served(): Promise<ServedResources>
}
