// ServiceWriter on CoreV1Api: conditional merge patches (the resourceVersion in the patch
// makes the API server refuse a stale write with 409).
import { ApiException, CoreV1Api, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node'
import { ConflictError, NotFoundError, type ServiceStatusPatch, type ServiceWriter } from '../../ports/kubernetes'
import type { ObjectMeta } from '../../ports/kubernetes-objects'

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch)

export function mapApiError(error: unknown, what: string): unknown {
  if (error instanceof ApiException) {
    if (error.code === 409) return new ConflictError(`${what}: conflict (the object changed meanwhile)`)
    if (error.code === 404) return new NotFoundError(`${what}: not found`)
    return new Error(`${what}: HTTP ${error.code}: ${typeof error.body === 'string' ? error.body.slice(0, 300) : ''}`)
  }
  return error
}

export class KubeServiceWriter implements ServiceWriter {
  private readonly core: CoreV1Api

  constructor(kubeConfig: KubeConfig) {
    this.core = kubeConfig.makeApiClient(CoreV1Api)
  }

  async get(namespace: string, name: string): Promise<{ metadata: ObjectMeta } | null> {
    try {
      const service = await this.core.readNamespacedService({ namespace, name })
      return { metadata: { name, namespace, uid: service.metadata?.uid, resourceVersion: service.metadata?.resourceVersion } }
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return null
      throw mapApiError(error, `get service ${namespace}/${name}`)
    }
  }

  async setFinalizers(namespace: string, name: string, finalizers: string[], resourceVersion: string): Promise<string> {
    try {
      const updated = await this.core.patchNamespacedService({ namespace, name, body: { metadata: { finalizers, resourceVersion } } }, mergePatch)
      return updated.metadata?.resourceVersion ?? ''
    } catch (error) {
      throw mapApiError(error, `set finalizers of service ${namespace}/${name}`)
    }
  }

  async patchStatus(namespace: string, name: string, status: ServiceStatusPatch, resourceVersion: string): Promise<string> {
    try {
      const updated = await this.core.patchNamespacedServiceStatus({ namespace, name, body: { metadata: { resourceVersion }, status } }, mergePatch)
      return updated.metadata?.resourceVersion ?? ''
    } catch (error) {
      throw mapApiError(error, `patch status of service ${namespace}/${name}`)
    }
  }
}
