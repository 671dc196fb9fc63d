// Which edge-ingress.io/v1alpha1 resources (EdgePolicy) the cluster serves and this identity may
// list: read once at start, as for the Gateway API, because an informer for a resource that is
// not served, or that RBAC refuses, never syncs and would hold back the whole controller.
import type { KubeConfig } from '@kubernetes/client-node'
import { NotFoundError } from '../../ports/kubernetes'
import { KubeHttpError, kubeRequest } from './kube-http'

const GROUP_VERSION = '/apis/edge-ingress.io/v1alpha1'

export interface EdgeIngressResources {
  /** Plural names served and listable. */
  readable: Set<string>
  /** Served, but RBAC refuses listing them (the controller reads them only once allowed). */
  forbidden: string[]
}

export async function edgeIngressResources(kubeConfig: KubeConfig): Promise<EdgeIngressResources> {
  let served: string[]
  try {
    const list = await kubeRequest(kubeConfig, 'GET', GROUP_VERSION)
    const resources = Array.isArray(list.resources) ? (list.resources as { name?: unknown }[]) : []
    served = resources.map((r) => String(r.name)).filter((name) => !name.includes('/'))
  } catch (error) {
    if (error instanceof NotFoundError) return { readable: new Set(), forbidden: [] }
    throw error
  }
  const out: EdgeIngressResources = { readable: new Set(), forbidden: [] }
  for (const plural of served) {
    if (await listable(kubeConfig, `${GROUP_VERSION}/${plural}`)) out.readable.add(plural)
    else out.forbidden.push(plural)
  }
  return out
}

/** Whether this identity may list the collection (one item asked for). */
export async function listable(kubeConfig: KubeConfig, collection: string): Promise<boolean> {
  try {
    await kubeRequest(kubeConfig, 'GET', `${collection}${collection.includes('?') ? '&' : '?'}limit=1`)
    return true
  } catch (error) {
    if (error instanceof KubeHttpError && error.status === 403) return false
    throw error
  }
}
