// Hand-written shape checks for the parts of the table that repeat once per route (ADR 0100):
// zod costs about 3 µs per route on a cold start, which alone would spend most of the 100 ms
// cold-start budget at 10k routes. Each check returns the first problem, or null.

export type At = (string | number)[]

/** A problem and where it is, relative to the value that was checked. */
export interface Problem {
  at: At
  message: string
}

export const problem = (at: At, message: string): Problem => ({ at, message })
export const within = (prefix: At, found: Problem | null): Problem | null => found && { at: [...prefix, ...found.at], message: found.message }

export type Check = (value: unknown) => Problem | null

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value)
const expected = (what: string, value: unknown, at: At = []): Problem => ({ at, message: `expected ${what}, received ${kindOf(value)}` })

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

export function string(value: unknown, min: number, max: number): Problem | null {
  if (typeof value !== 'string') return expected('string', value)
  if (value.length < min) return { at: [], message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` }
  if (value.length > max) return { at: [], message: `must be at most ${max} characters` }
  return null
}

export function integer(value: unknown, min: number, max: number): Problem | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return expected('integer', value)
  return value < min || value > max ? { at: [], message: `must be between ${min} and ${max}` } : null
}

export function oneOf(value: unknown, allowed: readonly unknown[]): Problem | null {
  return allowed.includes(value) ? null : { at: [], message: `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}` }
}

export const nullable = (check: Check): Check => (value) => (value === null ? null : check(value))

/** A check of an object's listed fields, in order; `at` names the first failing one. */
export function object(checks: Record<string, Check>): Check {
  const entries = Object.entries(checks)
  return (value) => {
    if (!isRecord(value)) return expected('object', value)
    for (const [key, check] of entries) {
      const found = check(value[key])
      if (found) return within([key], found)
    }
    return null
  }
}

export const arrayOf =
  (check: Check): Check =>
  (value) => {
    if (!Array.isArray(value)) return expected('array', value)
    for (let i = 0; i < value.length; i++) {
      const found = check(value[i])
      if (found) return within([i], found)
    }
    return null
  }
