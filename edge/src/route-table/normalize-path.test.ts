import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalizePath } from './normalize-path'

const path = (raw: string) => {
  const result = normalizePath(raw)
  if (!result.ok) throw new Error(`expected ${JSON.stringify(raw)} to normalise, got: ${result.error}`)
  return result.path
}

describe('normalizePath', () => {
  it.each([
    ['/', '/'],
    ['/a/b', '/a/b'],
    ['/a/b/', '/a/b/'],
    ['/.well-known/x', '/.well-known/x'],
    ['/a..b/c.', '/a..b/c.'],
    // duplicate slashes merge
    ['//', '/'],
    ['/a//b', '/a/b'],
    ['///a///', '/a/'],
    // dot segments resolve, never above the root
    ['/a/./b', '/a/b'],
    ['/a/../b', '/b'],
    ['/../../a', '/a'],
    ['/a/b/..', '/a/'],
    ['/a/.', '/a/'],
    ['/a//../b', '/b'],
    // encoded dots are dots
    ['/%2e%2e/a', '/a'],
    ['/a/%2E%2e/b', '/b'],
    ['/a/.%2e', '/'],
    ['/a/%2e/b', '/a/b'],
    // unreserved escapes decode; the others are kept, hex uppercased
    ['/%7Efoo', '/~foo'],
    ['/%41%62%2D%5f', '/Ab-_'],
    ['/a%2fb', '/a%2Fb'],
    ['/a%2Fb', '/a%2Fb'],
    ['/a%2F..%2Fb', '/a%2F..%2Fb'],
    ['/%c3%a4', '/%C3%A4'],
    ['/a%3Bb', '/a%3Bb'],
    // backslash is data, not a separator
    ['/a\\b', '/a%5Cb'],
    ['/a\\..\\b', '/a%5C..%5Cb'],
    ['/a%5c', '/a%5C'],
    // characters that may not appear literally are encoded
    ['/ä', '/%C3%A4'],
    ['/a b', '/a%20b'],
    ['/a"b<c>', '/a%22b%3Cc%3E'],
    ['/😀', '/%F0%9F%98%80'],
    ["/a:b@c!$&'()*+,;=", "/a:b@c!$&'()*+,;="],
  ])('%j -> %j', (raw, expected) => {
    expect(path(raw)).toBe(expected)
  })

  it.each([
    ['a/b', 'must start with "/"'],
    ['', 'must start with "/"'],
    ['/a%zz', 'malformed percent-escape'],
    ['/a%2', 'malformed percent-escape'],
    ['/a%', 'malformed percent-escape'],
    ['/a%00', 'encoded control character %00'],
    ['/a%0A', 'encoded control character %0A'],
    ['/a%7f', 'encoded control character %7F'],
    ['/a\u0000', 'control character'],
    ['/a\tb', 'control character'],
    ['/a\r\nb', 'control character'],
    ['/a?b', '"?" in path'],
    ['/a#b', '"#" in path'],
    ['/\ud800', 'lone surrogate'],
  ])('refuses %j (%s)', (raw, message) => {
    const result = normalizePath(raw)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.error).toContain(message)
  })
})

describe('normalizePath properties', () => {
  const pathLike = fc
    .array(fc.constantFrom('/', '.', '..', '%2e', '%2E', '%2f', '%5c', '\\', 'a', 'B', '~', '%7e', '%41', '%zz', '%', ' ', 'ä', '//', '%00'), { maxLength: 20 })
    .map((parts) => `/${parts.join('')}`)
  const anyString = fc.oneof(pathLike, fc.string({ unit: 'binary' }).map((s) => `/${s}`))

  it('never throws, and its output is canonical', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        const result = normalizePath(raw)
        if (!result.ok) return
        const out = result.path
        expect(out.startsWith('/')).toBe(true)
        expect(out).not.toMatch(/\/\/|\/\.\.?(?:\/|$)|\\|%[0-9A-F]?[a-f]|[\u0000-\u0020\u007f-\uffff]/)
        // Escapes of unreserved characters never survive.
        expect(out).not.toMatch(/%(?:4[1-9A-F]|5[0-9AF]|6[1-9A-F]|7[0-9AE]|3[0-9]|2[DE])/)
      }),
      { numRuns: 3000 },
    )
  })

  it('is idempotent: a normalised path normalises to itself', () => {
    fc.assert(
      fc.property(anyString, (raw) => {
        const once = normalizePath(raw)
        if (once.ok) expect(normalizePath(once.path)).toEqual(once)
      }),
      { numRuns: 3000 },
    )
  })

  it('gives the same result however unreserved characters are encoded', () => {
    const unreserved = fc.constantFrom(...'abcXYZ019-._~'.split(''), '/')
    const encoding = fc.boolean()
    fc.assert(
      fc.property(fc.array(fc.tuple(unreserved, encoding, fc.boolean()), { maxLength: 30 }), (chars) => {
        const plain = `/${chars.map(([c]) => c).join('')}`
        const encoded = `/${chars
          .map(([c, encode, lower]) => {
            if (!encode || c === '/') return c
            const hex = c.charCodeAt(0).toString(16).padStart(2, '0')
            return `%${lower ? hex : hex.toUpperCase()}`
          })
          .join('')}`
        expect(normalizePath(encoded)).toEqual(normalizePath(plain))
      }),
      { numRuns: 2000 },
    )
  })
})
