// GatewayApiDiscovery through the apiserver's discovery document and the CRDs' bundle-version
// annotation. Both are read once at start: informers for resources that are not served would
// never sync (and would hold back the whole controller).
import type { KubeConfig } from '@kubernetes/client-node'
import type { GatewayApiDiscovery } from '../../ports/route-status'
import { NotFoundError } from '../../ports/kubernetes'
import { KubeHttpError, kubeRequest } from './kube-http'

const BUNDLE_VERSION = 'gateway.networking.k8s.io/bundle-version'

export class KubeGatewayApiDiscovery implements GatewayApiDiscovery {
  constructor(private readonly kubeConfig: KubeConfig) {}

  async servedResources(): Promise<Set<string>> {
    try {
      const list = await kubeRequest(this.kubeConfig, 'GET', '/apis/gateway.networking.k8s.io/v1')
      const resources = Array.isArray(list.resources) ? (list.resources as { name?: unknown }[]) : []
      return new Set(resources.map((r) => String(r.name)).filter((name) => !name.includes('/')))
    } catch (error) {
      if (error instanceof NotFoundError) return new Set()
      throw error
    }
  }

  async bundleVersion(): Promise<string | null> {
    try {
      const crd = await kubeRequest(this.kubeConfig, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gatewayclasses.gateway.networking.k8s.io')
      const annotations = (crd.metadata as { annotations?: Record<string, string> } | undefined)?.annotations
      return annotations?.[BUNDLE_VERSION] ?? null
    } catch (error) {
      // Not allowed to read CRDs, or not installed: no SupportedVersion condition.
      if (error instanceof NotFoundError || (error instanceof KubeHttpError && error.status === 403)) return null
      throw error
    }
  }
}
