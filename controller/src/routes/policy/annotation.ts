// The `edge-ingress.io/policy` annotation on an Ingress or HTTPRoute: a comma-separated list of
// EdgePolicy names in the object's namespace, applied to every path or rule of the object.
import { invalid, found, type PolicyChecked } from './problem'

export const POLICY_ANNOTATION = 'edge-ingress.io/policy'
/** Where status and diagnostics point for an annotation problem. */
export const POLICY_FIELD = `metadata.annotations["${POLICY_ANNOTATION}"]`

/** RFC 1123 subdomain: the names Kubernetes objects have. */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/

/** The names the annotation lists ([] without the annotation). */
export function annotatedPolicies(annotations: Record<string, string> | undefined): PolicyChecked<string[]> {
  const value = annotations?.[POLICY_ANNOTATION]
  if (value === undefined) return found([])
  const names = value.split(',').map((n) => n.trim())
  const bad = names.find((n) => !OBJECT_NAME.test(n) || n.length > 253)
  if (bad !== undefined) {
    return invalid(`annotation ${POLICY_ANNOTATION}: "${bad.slice(0, 80)}" is not an EdgePolicy name (expected a comma-separated list of names, e.g. "api-auth, api-limits")`)
  }
  if (new Set(names).size !== names.length) return invalid(`annotation ${POLICY_ANNOTATION} names an EdgePolicy twice`)
  return found(names)
}
