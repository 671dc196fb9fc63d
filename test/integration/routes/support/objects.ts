// Kubernetes objects for the route tests, applied with server-side apply (create or update in
// one call), and the classes infra/ installs.
import { PatchStrategy, type KubernetesObject, type KubernetesObjectApi } from '@kubernetes/client-node'
import type { KubeClients } from '../../../env/clients'

const fieldManager = 'edge-ingress-route-tests'

export async function apply(kube: KubeClients, ...objects: object[]): Promise<void> {
  for (const object of objects) await kube.objects.patch(object as KubernetesObject, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply)
}

export async function remove(objects: KubernetesObjectApi, object: object): Promise<void> {
  await objects.delete(object as KubernetesObject).catch((error: { code?: number }) => {
    if (error.code !== 404) throw error
  })
}

/** The IngressClass and GatewayClass that infra/ installs (idempotent). */
export async function installClasses(kube: KubeClients): Promise<void> {
  await apply(
    kube,
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'edge-ingress' }, spec: { controller: 'edge-ingress.io/ingress-controller' } },
    { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'edge-ingress' }, spec: { controllerName: 'edge-ingress.io/gateway-controller' } },
  )
}

/** A Service whose L4 balancer (`status.loadBalancer`) is `address`, or none yet when null. */
export function service(namespace: string, name: string, port: number, options: { loadBalancerClass?: string; annotations?: Record<string, string> } = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { namespace, name, ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      type: 'LoadBalancer',
      // Not ours unless asked: no L4 controller of another test should pick these up.
      loadBalancerClass: options.loadBalancerClass ?? 'example.com/not-edge-ingress',
      ports: [{ name: 'http', port, targetPort: 8080, protocol: 'TCP' }],
      selector: { app: name },
    },
  }
}

/** Sets a Service's balancer address as an L4 controller would (status subresource). */
export async function setBalancerAddress(kube: KubeClients, namespace: string, name: string, hostname: string): Promise<void> {
  const { setHeaderOptions } = await import('@kubernetes/client-node')
  await kube.core.patchNamespacedServiceStatus(
    { namespace, name, body: { status: { loadBalancer: { ingress: [{ hostname }] } } } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  )
}

export function gateway(namespace: string, name: string, listeners: object[]) {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { namespace, name }, spec: { gatewayClassName: 'edge-ingress', listeners } }
}

export function httpRoute(namespace: string, name: string, spec: object) {
  return { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { namespace, name }, spec }
}

export function ingress(namespace: string, name: string, host: string, backend: { name: string; port: number }, className = 'edge-ingress') {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { namespace, name },
    spec: {
      ingressClassName: className,
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: backend.name, port: { number: backend.port } } } }] } }],
    },
  }
}

/** Resolves at the start of the next wall-clock second: creationTimestamps have a one-second resolution. */
export async function nextSecond(): Promise<void> {
  const second = Math.floor(Date.now() / 1000)
  while (Math.floor(Date.now() / 1000) === second) await new Promise((r) => setTimeout(r, 20))
}
