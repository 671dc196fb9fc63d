// Ownership lives in tags, never in memory: these tags on a balancer or target group say
// which cluster and Service it belongs to, and let a restarted controller find it again.
import type { Tags } from '../ports/elbv2'
import type { ServiceIdentity } from './names'

export const TAG_CLUSTER = 'edge-ingress.io/cluster'
export const TAG_NAMESPACE = 'edge-ingress.io/service-namespace'
export const TAG_NAME = 'edge-ingress.io/service-name'
export const TAG_PORT = 'edge-ingress.io/service-port'
/** Hash of the settings that are not read back in the steady state (see ADR 0501). */
export const TAG_CONFIG = 'edge-ingress.io/config-hash'

export const ownershipTags = (id: ServiceIdentity): Tags => ({
  [TAG_CLUSTER]: id.cluster,
  [TAG_NAMESPACE]: id.namespace,
  [TAG_NAME]: id.name,
})

/** The Service key ("namespace/name") a resource belongs to in this cluster, or null. */
export function ownerKey(tags: Tags, cluster: string): string | null {
  if (tags[TAG_CLUSTER] !== cluster) return null
  const ns = tags[TAG_NAMESPACE]
  const name = tags[TAG_NAME]
  return ns && name ? `${ns}/${name}` : null
}
