// Which Ingresses are ours (Kubernetes Ingress docs, "Ingress class"): the legacy annotation
// `kubernetes.io/ingress.class: edge-ingress`, else `spec.ingressClassName` naming an
// IngressClass whose controller is ours, else no class at all while one of our IngressClasses
// is marked default. Everything else belongs to another controller and is ignored.
import { CLASS_NAME, DEFAULT_INGRESS_CLASS_ANNOTATION, INGRESS_CONTROLLER, LEGACY_INGRESS_CLASS_ANNOTATION } from './constants'
import type { IngressClass } from './model/ingress'
import type { Known } from './model/inventory'

export interface ClassDecision {
  ours: boolean
  /** Why, in words: for the info diagnostic of ignored Ingresses. */
  reason: string
}

export function ingressClassDecision(
  annotations: Readonly<Record<string, string>> | undefined,
  ingressClassName: string | undefined,
  classes: ReadonlyMap<string, Known<IngressClass>>,
): ClassDecision {
  const legacy = annotations?.[LEGACY_INGRESS_CLASS_ANNOTATION]
  if (legacy !== undefined) {
    return legacy === CLASS_NAME
      ? { ours: true, reason: `annotation ${LEGACY_INGRESS_CLASS_ANNOTATION}: ${CLASS_NAME}` }
      : { ours: false, reason: `annotation ${LEGACY_INGRESS_CLASS_ANNOTATION} is "${legacy}", not "${CLASS_NAME}"` }
  }
  if (ingressClassName !== undefined) {
    const cls = classes.get(ingressClassName)
    if (!cls) return { ours: false, reason: `IngressClass "${ingressClassName}" not found` }
    const controller = cls.value.spec.controller
    return controller === INGRESS_CONTROLLER
      ? { ours: true, reason: `IngressClass "${ingressClassName}"` }
      : { ours: false, reason: `IngressClass "${ingressClassName}" belongs to controller "${controller ?? '(none)'}"` }
  }
  for (const cls of classes.values()) {
    if (cls.value.spec.controller === INGRESS_CONTROLLER && cls.value.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true') {
      return { ours: true, reason: `no class set and IngressClass "${cls.ref.name}" is the default` }
    }
  }
  return { ours: false, reason: 'no ingress class set and none of ours is the default' }
}
