// Weighted choice among a route's backends (Gateway API backendRefs weights).
import type { Backend } from '../route-table/types'

/**
 * Picks a backend with probability weight / total; weight 0 is never picked. Calls `random`
 * exactly once (when any backend has weight), so a seeded source gives a reproducible choice.
 */
export function pickWeighted(backends: readonly Backend[], random: () => number): Backend | null {
  let total = 0
  for (const b of backends) total += b.weight
  if (total <= 0) return null
  let point = random() * total
  for (const b of backends) {
    if (b.weight <= 0) continue
    if (point < b.weight) return b
    point -= b.weight
  }
  // Floating point can leave `point` a hair above the last weight: the last non-zero backend takes it.
  return backends.findLast((b) => b.weight > 0) ?? null
}
