// RouteStatusWriter on the status subresource: a JSON merge patch of `.status` members, with
// the resourceVersion the status was computed from (the apiserver answers 409 when the object
// moved on, and the route module recomputes from the newer object).
import type { KubeConfig } from '@kubernetes/client-node'
import type { RouteStatusWriter } from '../../ports/route-status'
import { STATUS_FIELD_MANAGER } from '../../routes/status/owned-fields'
import type { StatusKind, StatusUpdate } from '../../routes/status/updates'
import { kubeRequest } from './kube-http'

const COLLECTIONS: Record<StatusKind, { prefix: string; plural: string; namespaced: boolean }> = {
  Ingress: { prefix: '/apis/networking.k8s.io/v1', plural: 'ingresses', namespaced: true },
  GatewayClass: { prefix: '/apis/gateway.networking.k8s.io/v1', plural: 'gatewayclasses', namespaced: false },
  Gateway: { prefix: '/apis/gateway.networking.k8s.io/v1', plural: 'gateways', namespaced: true },
  HTTPRoute: { prefix: '/apis/gateway.networking.k8s.io/v1', plural: 'httproutes', namespaced: true },
}

export class KubeRouteStatusWriter implements RouteStatusWriter {
  constructor(private readonly kubeConfig: KubeConfig) {}

  async write(update: StatusUpdate, signal?: AbortSignal): Promise<string> {
    const c = COLLECTIONS[update.kind]
    const scope = c.namespaced ? `/namespaces/${encodeURIComponent(update.namespace)}` : ''
    // Our field manager: the API server records what we own, so that we can take it back later (released.ts).
    const path = `${c.prefix}${scope}/${c.plural}/${encodeURIComponent(update.name)}/status?fieldManager=${STATUS_FIELD_MANAGER}`
    const patched = await kubeRequest(this.kubeConfig, 'PATCH', path, {
      contentType: 'application/merge-patch+json',
      value: { metadata: { resourceVersion: update.resourceVersion }, status: update.status },
    }, signal)
    return String((patched.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion ?? '')
  }
}
