// Which edge-ingress.io/v1alpha1 resources (EdgePolicy) the cluster serves: read once at start,
// as for the Gateway API, because an informer for a resource that is not served never syncs.
import type { KubeConfig } from '@kubernetes/client-node'
import { NotFoundError } from '../../ports/kubernetes'
import { kubeRequest } from './kube-http'

export async function servedEdgeIngressResources(kubeConfig: KubeConfig): Promise<Set<string>> {
  try {
    const list = await kubeRequest(kubeConfig, 'GET', '/apis/edge-ingress.io/v1alpha1')
    const resources = Array.isArray(list.resources) ? (list.resources as { name?: unknown }[]) : []
    return new Set(resources.map((r) => String(r.name)).filter((name) => !name.includes('/')))
  } catch (error) {
    if (error instanceof NotFoundError) return new Set()
    throw error
  }
}
