// Backend choice with failover: the weighted pick skips backends on ejected gateways, and the
// backends on other gateways are lined up to take over when the chosen gateway gives no response.
import { pickWeighted } from '../dispatch/weighted'
import type { Backend } from '../route-table/types'

export type IsAvailable = (gateway: string) => boolean

const onEjected = (b: Backend, isAvailable: IsAvailable) => b.gateway !== null && b.weight > 0 && !isAvailable(b.gateway)

/**
 * A weighted pick among the backends whose gateway is not ejected (unresolved backends keep
 * their share: it answers 500, as the spec asks). When every gateway is ejected, the pick is
 * among all of them: a gateway that may have recovered beats a certain error.
 */
export function pickAvailable(backends: readonly Backend[], random: () => number, isAvailable?: IsAvailable): Backend | null {
  if (isAvailable === undefined || !backends.some((b) => onEjected(b, isAvailable))) return pickWeighted(backends, random)
  const usable = backends.filter((b) => !onEjected(b, isAvailable))
  return usable.some((b) => b.gateway !== null && b.weight > 0) ? pickWeighted(usable, random) : pickWeighted(backends, random)
}

/**
 * The backends to fail over to from `chosen`, one per gateway, never on `chosen`'s gateway or an
 * ejected one: the same Service in other clusters first (merged tables), then the route's other
 * backends, each group by weight (highest first), then gateway id.
 */
export function failoverOrder(backends: readonly Backend[], chosen: Backend, isAvailable?: IsAvailable): Backend[] {
  if (backends.length < 2) return []
  const sameService = (b: Backend) => b.service.namespace === chosen.service.namespace && b.service.name === chosen.service.name && b.service.port === chosen.service.port
  const candidates = backends.filter((b) => b.gateway !== null && b.gateway !== chosen.gateway && b.weight > 0 && (isAvailable?.(b.gateway) ?? true))
  candidates.sort((a, b) => Number(sameService(b)) - Number(sameService(a)) || b.weight - a.weight || (a.gateway! < b.gateway! ? -1 : a.gateway! > b.gateway! ? 1 : 0))
  const seen = new Set<string>()
  return candidates.filter((b) => !seen.has(b.gateway!) && seen.add(b.gateway!))
}
