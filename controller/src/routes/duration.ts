// Gateway API durations (GEP-2257): one to four `<digits><unit>` components, units h, m, s,
// ms, summed as Go's time.ParseDuration does. The schema has checked the pattern already.
const COMPONENT = /([0-9]{1,5})(h|ms|m|s)/g
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }

export function durationMs(value: string): number {
  let total = 0
  for (const [, digits, unit] of value.matchAll(COMPONENT)) total += Number(digits) * UNIT_MS[unit!]!
  return total
}
