// The IngressClass and GatewayClass that infra/ installs in every cluster. Manifest files
// rarely include them, so the CLI assumes them present unless the input defines its own
// objects of those names.
import { CLASS_NAME, GATEWAY_CONTROLLER, INGRESS_CONTROLLER } from './constants'

const installed = [
  { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: CLASS_NAME }, spec: { controller: INGRESS_CONTROLLER } },
  { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: CLASS_NAME }, spec: { controllerName: GATEWAY_CONTROLLER } },
]

export function withInstalledClasses(objects: readonly unknown[]): unknown[] {
  const present = new Set<string>()
  for (const o of objects) {
    if (typeof o !== 'object' || o === null) continue
    const { kind, metadata } = o as { kind?: unknown; metadata?: { name?: unknown } }
    if (typeof kind === 'string' && typeof metadata?.name === 'string') present.add(`${kind}/${metadata.name}`)
  }
  return [...installed.filter((c) => !present.has(`${c.kind}/${c.metadata.name}`)), ...objects]
}
