// Path normalisation (docs/matching.md, ADR 0101): one canonical form per path, so that no
// encoding trick routes around a rule. Used on request paths and on the table's path values,
// so both sides of a comparison are in the same form.

export type PathResult = { ok: true; path: string } | { ok: false; error: string }

/** RFC 3986 pchar minus pct-encoded, plus '/': kept as they are. */
const KEPT = /[A-Za-z0-9\-._~!$&'()*+,;=:@/]/
/** RFC 3986 unreserved: the only escapes that are decoded. */
const UNRESERVED = /[A-Za-z0-9\-._~]/
/** Already canonical: only kept characters, no escapes, no empty or dot segments. */
const CANONICAL = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/
const NEEDS_SEGMENT_WORK = /\/\/|\/\.\.?(?:\/|$)/

const HEX = '0123456789ABCDEF'
const hexValue = (code: number): number => {
  if (code >= 48 && code <= 57) return code - 48
  if (code >= 65 && code <= 70) return code - 55
  if (code >= 97 && code <= 102) return code - 87
  return -1
}
const escapeByte = (byte: number): string => `%${HEX[byte >> 4]}${HEX[byte & 15]}`

export function normalizePath(raw: string): PathResult {
  if (!raw.startsWith('/')) return { ok: false, error: 'path must start with "/"' }
  if (CANONICAL.test(raw) && !NEEDS_SEGMENT_WORK.test(raw)) return { ok: true, path: raw }
  const chars = canonicalCharacters(raw)
  if (!chars.ok) return chars
  return { ok: true, path: resolveSegments(chars.path) }
}

/**
 * Decodes escapes of unreserved characters, uppercases the others (so `%2f` and `%2F` are one
 * thing, and neither is a separator), percent-encodes what may not appear literally
 * (backslash is data, never a separator), and rejects malformed escapes and control characters.
 */
function canonicalCharacters(raw: string): PathResult {
  let out = ''
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!
    const code = raw.charCodeAt(i)
    if (ch === '%') {
      const high = hexValue(raw.charCodeAt(i + 1))
      const low = hexValue(raw.charCodeAt(i + 2))
      if (high < 0 || low < 0) return { ok: false, error: `malformed percent-escape at offset ${i}` }
      const byte = high * 16 + low
      if (byte < 0x20 || byte === 0x7f) return { ok: false, error: `encoded control character ${escapeByte(byte)} in path` }
      const decoded = String.fromCharCode(byte)
      out += byte < 0x80 && UNRESERVED.test(decoded) ? decoded : escapeByte(byte)
      i += 2
    } else if (code < 0x20 || code === 0x7f) {
      return { ok: false, error: 'control character in path' }
    } else if (ch === '?' || ch === '#') {
      return { ok: false, error: `"${ch}" in path` }
    } else if (KEPT.test(ch)) {
      out += ch
    } else {
      const encoded = encodeCharacter(raw, i)
      if (encoded === null) return { ok: false, error: 'invalid UTF-16 (lone surrogate) in path' }
      out += encoded.escaped
      i += encoded.width - 1
    }
  }
  return { ok: true, path: out }
}

/** UTF-8 percent-encoding of the character at `i` (a surrogate pair counts as one). */
function encodeCharacter(raw: string, i: number): { escaped: string; width: number } | null {
  const point = raw.codePointAt(i)!
  const width = point > 0xffff ? 2 : 1
  try {
    return { escaped: encodeURIComponent(raw.slice(i, i + width)).toUpperCase(), width }
  } catch {
    return null
  }
}

/**
 * Merges duplicate slashes first (empty segments do not exist), then resolves `.` and `..`
 * (RFC 3986 5.2.4), never above the root. A trailing slash is kept, and a path ending in a
 * dot segment ends with a slash, as RFC 3986 does.
 */
function resolveSegments(path: string): string {
  const parts = path.split('/')
  const kept: string[] = []
  let trailingSlash = false
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!
    const last = i === parts.length - 1
    if (part === '' || part === '.') {
      trailingSlash = last
    } else if (part === '..') {
      kept.pop()
      trailingSlash = last
    } else {
      kept.push(part)
      trailingSlash = false
    }
  }
  if (kept.length === 0) return '/'
  return `/${kept.join('/')}${trailingSlash ? '/' : ''}`
}
