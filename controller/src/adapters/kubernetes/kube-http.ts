// Plain JSON requests to the apiserver with the kubeconfig's credentials, for the route
// module's generic reads and status patches (the same kinds through one path, core or CRD).
import { HttpMethod, RequestContext, type KubeConfig } from '@kubernetes/client-node'
import { fetch } from 'undici'
import { ConflictError, NotFoundError } from '../../ports/kubernetes'

export class KubeHttpError extends Error {
  override readonly name = 'KubeHttpError'
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export async function kubeRequest(
  kubeConfig: KubeConfig,
  method: 'GET' | 'PATCH',
  path: string,
  body?: { contentType: string; value: unknown },
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const cluster = kubeConfig.getCurrentCluster()
  if (!cluster) throw new Error('no current cluster in the kubeconfig')
  const ctx = new RequestContext(`${cluster.server}${path}`, method === 'GET' ? HttpMethod.GET : HttpMethod.PATCH)
  await kubeConfig.applySecurityAuthentication(ctx)
  const response = await fetch(ctx.getUrl(), {
    method,
    headers: { ...ctx.getHeaders(), accept: 'application/json', ...(body ? { 'content-type': body.contentType } : {}) },
    ...(body ? { body: JSON.stringify(body.value) } : {}),
    dispatcher: ctx.getDispatcher() as never,
    ...(signal ? { signal } : {}),
  })
  const text = await response.text()
  if (response.ok) return JSON.parse(text) as Record<string, unknown>
  const what = `${method} ${path}`
  let detail = text.slice(0, 300)
  try {
    detail = String((JSON.parse(text) as { message?: unknown }).message ?? detail)
  } catch {
    // not a Status object: keep the text
  }
  if (response.status === 409) throw new ConflictError(`${what}: conflict (the object changed meanwhile)`)
  if (response.status === 404) throw new NotFoundError(`${what}: not found`)
  throw new KubeHttpError(response.status, `${what}: HTTP ${response.status}: ${detail}`)
}
