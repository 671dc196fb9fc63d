// Value parsers for annotation strings. Each returns the parsed value or throws
// InvalidValue with a message that tells the user what is accepted.

export class InvalidValue extends Error {
  override readonly name = 'InvalidValue'
}

export type Parser<T> = (raw: string) => T

export const boolean: Parser<boolean> = (raw) => {
  const v = raw.trim().toLowerCase()
  if (v === 'true') return true
  if (v === 'false') return false
  throw new InvalidValue('must be "true" or "false"')
}

export const integerIn =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    const v = raw.trim()
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidValue(`must be an integer from ${min} to ${max}`)
    return Number(v)
  }

export const oneOf =
  <T extends string>(...allowed: T[]): Parser<T> =>
  (raw) => {
    const v = raw.trim().toLowerCase()
    const found = allowed.find((a) => a.toLowerCase() === v)
    if (found === undefined) throw new InvalidValue(`must be one of ${allowed.join(', ')}`)
    return found
  }

/** "a, b,c" -> ["a", "b", "c"]; empty items are refused, as is an empty list. */
export const list =
  (item: Parser<string> = (s) => s): Parser<string[]> =>
  (raw) => {
    const parts = raw.split(',').map((p) => p.trim())
    if (parts.some((p) => p === '')) throw new InvalidValue('must be a comma-separated list without empty items')
    return parts.map(item)
  }

/** "k1=v1,k2=v2" -> {k1: "v1", k2: "v2"}; `allowBareKeys` accepts "k" as {k: ""} (tags). */
export const keyValues =
  (options: { allowBareKeys: boolean }): Parser<Record<string, string>> =>
  (raw) => {
    const out: Record<string, string> = {}
    for (const part of list()(raw)) {
      const eq = part.indexOf('=')
      if (eq < 0 && !options.allowBareKeys) throw new InvalidValue(`"${part}" is not key=value`)
      const key = (eq < 0 ? part : part.slice(0, eq)).trim()
      const value = eq < 0 ? '' : part.slice(eq + 1).trim()
      if (key === '') throw new InvalidValue(`"${part}" has an empty key`)
      if (key in out) throw new InvalidValue(`key "${key}" appears twice`)
      out[key] = value
    }
    return out
  }

export const matching =
  (pattern: RegExp, what: string): Parser<string> =>
  (raw) => {
    const v = raw.trim()
    if (!pattern.test(v)) throw new InvalidValue(`"${v}" is not ${what}`)
    return v
  }
