// Reads a route table from JSON text or a parsed value and checks all of it (validate.ts: each
// part's shape, then the rules between fields). Never throws: a bad table is refused with the
// JSON path of the first problem, and the edge keeps serving its last good table. The table is
// used as read (no copy); unknown keys are ignored.
import { SCHEMA_VERSION, type RouteTable } from './types'
import { validateTable } from './validate'

export interface ParseError {
  /** JSON path of the first problem, e.g. `$.hosts[3].routes[0].match.path.value`. */
  path: string
  message: string
}

export type ParseResult = { ok: true; table: RouteTable } | { ok: false; error: ParseError }

export function parseRouteTable(input: string | unknown): ParseResult {
  try {
    return parseValue(typeof input === 'string' ? JSON.parse(input) : input)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return failure([], typeof input === 'string' ? `not valid JSON: ${reason}` : `could not be read: ${reason}`)
  }
}

function parseValue(value: unknown): ParseResult {
  const version = typeof value === 'object' && value !== null ? (value as { schemaVersion?: unknown }).schemaVersion : undefined
  if (typeof version === 'number' && version !== SCHEMA_VERSION) {
    return failure(['schemaVersion'], `unsupported schemaVersion ${version}, this edge reads ${SCHEMA_VERSION}`)
  }
  const problem = validateTable(value)
  return problem ? failure(problem.at, problem.message) : { ok: true, table: value as RouteTable }
}

const failure = (at: readonly PropertyKey[], message: string): ParseResult => ({ ok: false, error: { path: jsonPath(at), message } })

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/
export function jsonPath(at: readonly PropertyKey[]): string {
  let path = '$'
  for (const key of at) {
    if (typeof key === 'number') path += `[${key}]`
    else if (typeof key === 'string' && IDENTIFIER.test(key)) path += `.${key}`
    else path += `[${JSON.stringify(String(key))}]`
  }
  return path
}
