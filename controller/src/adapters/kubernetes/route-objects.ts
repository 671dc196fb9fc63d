// One read of every object the route compiler uses, straight from the apiserver (for
// `edge-ingress routes explain|check --kubeconfig`): the same resources the controller's
// informers watch, with apiVersion and kind set on each item.
import type { KubeConfig } from '@kubernetes/client-node'
import { objectTyper, ROUTE_RESOURCES, servedRouteResources } from '../../routes/controller/resources'
import { KubeGatewayApiDiscovery } from './gateway-api-discovery'
import { kubeRequest } from './kube-http'

export async function listRouteObjects(kubeConfig: KubeConfig): Promise<{ objects: unknown[]; notes: string[] }> {
  const served = await new KubeGatewayApiDiscovery(kubeConfig).servedResources()
  const notes = served.size === 0 ? ['the cluster does not serve the Gateway API (gateway.networking.k8s.io/v1): Ingresses only'] : []
  const lists = await Promise.all(
    servedRouteResources(served).map(async (name) => {
      const resource = ROUTE_RESOURCES[name]
      const items: object[] = []
      let token: string | undefined
      do {
        const page = await kubeRequest(kubeConfig, 'GET', `${resource.path}?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`)
        items.push(...((page.items as object[] | undefined) ?? []))
        token = (page.metadata as { continue?: string } | undefined)?.continue || undefined
      } while (token)
      return objectTyper(resource)(items)
    }),
  )
  return { objects: lists.flat(), notes }
}
