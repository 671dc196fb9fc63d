// What of an object the route compiler reads, as a string: an informer event whose object has
// the same signature as before (typically our own status write coming back through the watch)
// does not trigger a compile. Kinds with a generation change it on every spec change.
import { createHash } from 'node:crypto'
import { canonicalJson } from '../../../../edge/src/route-table/revision'
import type { RouteResourceName } from './resources'

interface Meta {
  name?: string
  generation?: number
  labels?: unknown
  annotations?: unknown
  creationTimestamp?: unknown
  deletionTimestamp?: unknown
}

export function changeSignature(resource: RouteResourceName, object: { metadata: Meta; spec?: unknown; status?: unknown }): string {
  const m = object.metadata
  const common = [m.labels, m.annotations, m.creationTimestamp, m.deletionTimestamp]
  switch (resource) {
    case 'services':
      // Ports and the L4 balancer address make the gateway of every route to the Service.
      return canonicalJson([...common, (object.spec as { ports?: unknown } | undefined)?.ports, (object.status as { loadBalancer?: unknown } | undefined)?.loadBalancer])
    case 'namespaces':
      return canonicalJson(common)
    case 'apiKeySecrets': {
      // The keys change the table's digests; the signature holds a digest of them, not the keys.
      const { data, stringData } = object as { data?: unknown; stringData?: unknown }
      return canonicalJson([...common, createHash('sha256').update(canonicalJson([data ?? null, stringData ?? null])).digest('hex')])
    }
    default:
      return canonicalJson([...common, m.generation ?? null, m.generation === undefined ? object.spec : null])
  }
}
