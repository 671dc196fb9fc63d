// One read of every object the route compiler uses, straight from the apiserver (for
// `edge-ingress routes explain|check --kubeconfig`): the same resources the controller's
// informers watch, with apiVersion and kind set on each item.
import type { KubeConfig } from '@kubernetes/client-node'
import { objectTyper, ROUTE_RESOURCES, servedRouteResources, type RouteResource } from '../../routes/controller/resources'
import { edgeIngressResources } from './edge-ingress-discovery'
import { KubeGatewayApiDiscovery } from './gateway-api-discovery'
import { KubeHttpError, kubeRequest } from './kube-http'

export async function listRouteObjects(kubeConfig: KubeConfig): Promise<{ objects: unknown[]; notes: string[] }> {
  const served = await new KubeGatewayApiDiscovery(kubeConfig).servedResources()
  const notes = served.size === 0 ? ['the cluster does not serve the Gateway API (gateway.networking.k8s.io/v1): Ingresses only'] : []
  const edgeIngress = await edgeIngressResources(kubeConfig)
  if (edgeIngress.forbidden.length > 0) notes.push(`not allowed to list ${edgeIngress.forbidden.join(', ')}.edge-ingress.io: routes naming EdgePolicies show PolicyNotFound`)
  const lists = await Promise.all(
    servedRouteResources(served, { edgeIngressApi: edgeIngress.readable, secrets: true }).map(async (name) => {
      const resource: RouteResource = ROUTE_RESOURCES[name]
      const items: object[] = []
      let token: string | undefined
      try {
        do {
          const page = await kubeRequest(kubeConfig, 'GET', `${resource.path}${resource.path.includes('?') ? '&' : '?'}limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`)
          items.push(...((page.items as object[] | undefined) ?? []))
          token = (page.metadata as { continue?: string } | undefined)?.continue || undefined
        } while (token)
      } catch (error) {
        if (!(resource.secrets && error instanceof KubeHttpError && error.status === 403)) throw error
        notes.push('not allowed to list Secrets: API keys of EdgePolicies with apiKey.secretRef are unknown (PolicyNotFound)')
      }
      return objectTyper(resource)(items)
    }),
  )
  return { objects: lists.flat(), notes }
}
