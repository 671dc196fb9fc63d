// infra/ as a cluster receives it: rendered by the real kustomize, applied by server-side
// apply (what `kubectl apply --server-side -k` does), in the order kustomize emits.
import { KubernetesObjectApi, PatchStrategy, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { kustomizeBuild } from '../../../env/toolchain/kustomize'

export function parseDocuments(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => object !== null)
}

export async function renderKustomization(dir: string): Promise<KubernetesObject[]> {
  return parseDocuments(await kustomizeBuild(dir))
}

/** Every YAML file of a directory, in file-name order (the examples are numbered). */
export async function readManifestDir(dir: string): Promise<KubernetesObject[]> {
  const files = (await readdir(dir)).filter((file) => /\.ya?ml$/.test(file)).sort()
  const objects: KubernetesObject[] = []
  for (const file of files) objects.push(...parseDocuments(await readFile(join(dir, file), 'utf8')))
  return objects
}

/** Server-side apply, one object at a time; returns what the apiserver stored. */
export async function serverSideApply(kubeConfig: KubeConfig, objects: KubernetesObject[], fieldManager: string): Promise<KubernetesObject[]> {
  const api = KubernetesObjectApi.makeApiClient(kubeConfig)
  const stored: KubernetesObject[] = []
  for (const object of objects) {
    try {
      stored.push(await api.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply))
    } catch (error) {
      const body = (error as { body?: unknown }).body
      throw new Error(`server-side apply of ${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name} failed: ${typeof body === 'string' ? body : String(error)}`)
    }
  }
  return stored
}

export const describeObject = (o: KubernetesObject) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`

export function findObject<T extends KubernetesObject>(objects: KubernetesObject[], kind: string, name?: string): T {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata?.name === name || o.metadata?.name?.startsWith(`${name}-`)))
  if (!found) throw new Error(`no ${kind}${name ? ` ${name}` : ''} in the rendered manifests`)
  return found as T
}
