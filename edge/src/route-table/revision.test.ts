import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { route, table } from '../../../test/spec-cases/builder'
import { canonicalJson, computeRevision, withRevision } from './revision'
import type { RouteTable } from './types'

const content = (): Omit<RouteTable, 'revision'> => {
  const { revision: _r, ...rest } = table({ 'a.example.com': [route({ prefix: '/a' })] }, { fallback: 'default/fb:80' })
  return rest
}

/** The same object with every key order reversed, recursively. */
function reverseKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) return value.map(reverseKeys)
  return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reverseKeys(v)]))
}

describe('computeRevision', () => {
  it('is a SHA-256 hex digest of the canonical JSON', async () => {
    const expected = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(content())))
    const hex = Buffer.from(expected).toString('hex')
    expect(await computeRevision(content())).toBe(hex)
    expect(hex).toMatch(/^[0-9a-f]{64}$/)
  })

  it('does not depend on key order', async () => {
    expect(await computeRevision(reverseKeys(content()) as any)).toBe(await computeRevision(content()))
  })

  it('changes when any value changes, including array order', async () => {
    const base = await computeRevision(content())
    const changed = content()
    changed.hosts[0]!.routes[0]!.match.path.value = '/b'
    expect(await computeRevision(changed)).not.toBe(base)
    const twoHosts = table({ 'a.example.com': [], 'b.example.com': [] })
    const swapped = { ...twoHosts, hosts: [...twoHosts.hosts].reverse() }
    expect(await computeRevision(swapped)).not.toBe(await computeRevision(twoHosts))
  })

  it('ignores a revision already present, so a table hashes to its own revision', async () => {
    const full = await withRevision(content())
    expect(full.revision).toBe(await computeRevision(content()))
    expect(await computeRevision(full)).toBe(full.revision)
  })
})

describe('canonicalJson', () => {
  it('parses back to the same value for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)))
      }),
    )
  })

  it('sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"e":2,"f":1}]},"b":1}')
  })
})
