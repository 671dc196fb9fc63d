// ServedResourcesProbe on the apiserver: the Gateway API and edge-ingress.io discovery
// documents, and a one-item list of API-key Secrets when they are asked for.
import type { KubeConfig } from '@kubernetes/client-node'
import type { ServedResources, ServedResourcesProbe } from '../../ports/served-resources'
import { edgeIngressResources, listable } from './edge-ingress-discovery'
import { KubeGatewayApiDiscovery } from './gateway-api-discovery'

export class KubeServedResourcesProbe implements ServedResourcesProbe {
  private readonly gatewayApi: KubeGatewayApiDiscovery

  /** `apiKeySecretsPath`: the collection of API-key Secrets, when --api-key-secrets is on. */
  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly apiKeySecretsPath: string | null,
  ) {
    this.gatewayApi = new KubeGatewayApiDiscovery(kubeConfig)
  }

  async served(): Promise<ServedResources> {
    const [gatewayApi, edgeIngress, apiKeySecrets] = await Promise.all([
      this.gatewayApi.servedResources(),
      edgeIngressResources(this.kubeConfig),
      this.apiKeySecretsPath ? listable(this.kubeConfig, this.apiKeySecretsPath) : Promise.resolve(false),
    ])
    return { gatewayApi, edgeIngressReadable: edgeIngress.readable, edgeIngressForbidden: edgeIngress.forbidden, apiKeySecrets }
  }
}
