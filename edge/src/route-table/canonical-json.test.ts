// canonicalJson's fast path (JSON.stringify with a key-sorting replacer) must give exactly the
// text of the plain recursive definition: keys in code-unit order at every level.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalJson } from './revision'

function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : reference(item))).join(',')}]`
  const members: string[] = []
  for (const key of Object.keys(value).sort()) {
    const member = (value as Record<string, unknown>)[key]
    if (member !== undefined && typeof member !== 'function') members.push(`${JSON.stringify(key)}:${reference(member)}`)
  }
  return `{${members.join(',')}}`
}

const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '9', '10', '42', 'B', 'a', 'Z', '_', 'é'))

describe('canonicalJson', () => {
  it('matches the recursive definition on any JSON value, integer-like keys included', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(canonicalJson(value)).toBe(reference(value))
      }),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(fc.dictionary(key, fc.dictionary(key, fc.oneof(fc.integer(), fc.string(), fc.constant(undefined)))), (value) => {
        expect(canonicalJson(value)).toBe(reference(value))
      }),
      { numRuns: 2000 },
    )
  })

  it('keeps a __proto__ key (as JSON.parse makes it) as a plain key', () => {
    const value = JSON.parse('{"z": 1, "__proto__": {"b": 1, "a": 2}}')
    expect(canonicalJson(value)).toBe('{"__proto__":{"a":2,"b":1},"z":1}')
  })

  it('sorts integer-like keys as text, as the definition says', () => {
    expect(canonicalJson({ 9: 'a', 10: 'b', x: { b: 1, a: 2 } })).toBe('{"10":"b","9":"a","x":{"a":2,"b":1}}')
  })
})
