// Building blocks of the hand-written table checks (ADR 0100, ADR 0104). A value check returns
// the message of its problem or null; `at` and `within` place it in the table. Nothing is
// allocated while a value is fine: these run for every field of every route on a cold start.

export type At = (string | number)[]

/** A problem and where it is, relative to the value that was checked. */
export interface Problem {
  at: At
  message: string
}

export const problem = (at: At, message: string): Problem => ({ at, message })
export const within = (prefix: At, found: Problem | null): Problem | null => found && { at: [...prefix, ...found.at], message: found.message }
/** A problem found inside field `key`, placed there (the key is an argument, not an array, so that nothing is allocated when all is well). */
export const inside = (key: string | number, found: Problem | null): Problem | null => found && { at: [key, ...found.at], message: found.message }
/** The problem of field `key`, from a value check's message. */
export const at = (key: string | number, message: string | null): Problem | null => (message === null ? null : { at: [key], message })

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const kindOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value)
export const expected = (what: string, value: unknown): string => `expected ${what}, received ${kindOf(value)}`

export function string(value: unknown, min: number, max: number): string | null {
  if (typeof value !== 'string') return expected('string', value)
  if (value.length < min) return min === 1 ? 'must not be empty' : `must be at least ${min} characters`
  if (value.length > max) return `must be at most ${max} characters`
  return null
}

export function integer(value: unknown, min: number, max: number): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) return expected('integer', value)
  return value < min || value > max ? `must be between ${min} and ${max}` : null
}

export function oneOf(value: unknown, allowed: readonly unknown[]): string | null {
  return allowed.includes(value) ? null : `expected one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`
}

// Checks of fields every route has test the good case first and word the problem through
// string() or integer() only when it fails: cheap on a cold start, when this runs in V8's
// interpreter.
const MAX_INT = 2 ** 31 - 1
/** Longest name, namespace, id or cluster in the table. */
export const MAX_TEXT = 1024
export const text = (value: unknown): string | null => (typeof value === 'string' && value.length !== 0 && value.length <= MAX_TEXT ? null : string(value, 1, MAX_TEXT))
export const port = (value: unknown): string | null => (typeof value === 'number' && value >= 1 && value <= 65535 && value % 1 === 0 ? null : integer(value, 1, 65535))
export const count = (value: unknown): string | null => (typeof value === 'number' && value >= 0 && value <= MAX_INT && value % 1 === 0 ? null : integer(value, 0, MAX_INT))

/** A list whose items each pass an object check. */
export function listOfObjects(value: unknown, check: (item: unknown) => Problem | null): Problem | null {
  if (!Array.isArray(value)) return problem([], expected('array', value))
  for (let i = 0; i < value.length; i++) {
    const found = check(value[i])
    if (found !== null) return inside(i, found)
  }
  return null
}
