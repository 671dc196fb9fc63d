// Small syntax predicates shared by the table validator, the request normaliser and the
// matcher, so that the table and the requests are judged by the same rules.

/** RFC 9110 token: header names and methods. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
export const isToken = (value: string): boolean => TOKEN.test(value)

/** Lowercase RFC 1123 DNS name (no trailing dot): what Ingress and Gateway API accept. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/
export function isDnsName(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false
  for (const label of value.split('.')) if (!DNS_LABEL.test(label)) return false
  return true
}

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/
export const isIPv4 = (value: string): boolean => IPV4.test(value)

/** A virtual host name: exact DNS name, `*.` + DNS name, or `*` (routes that name no host). IPs are not hostnames. */
export function isHostnamePattern(value: string): boolean {
  if (value === '*') return true
  return isDnsName(value.startsWith('*.') ? value.slice(2) : value) && !isIPv4(value)
}

/** An IPv6 literal without brackets; checked loosely (hex groups, colons, an optional IPv4 tail). */
const IPV6 = /^[0-9a-f:]*:[0-9a-f:]*(?:\d+\.\d+\.\d+\.\d+)?$/i
export function isIPv6(value: string): boolean {
  return value.length >= 2 && value.length <= 45 && IPV6.test(value) && (value.match(/::/g)?.length ?? 0) <= 1
}

/** No CR, LF, NUL or other control characters: values that end up in HTTP headers. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/
export const hasControlCharacter = (value: string): boolean => CONTROL.test(value)

/** Longest regular expression a table may carry: bounds compile time and memory per route. */
export const MAX_REGEX_LENGTH = 1024

/**
 * Compiles a Gateway API RegularExpression value as a full-string (anchored) match.
 * Returns the error message instead of throwing.
 */
export function compileAnchored(pattern: string): RegExp | string {
  if (pattern.length > MAX_REGEX_LENGTH) return `regular expression longer than ${MAX_REGEX_LENGTH} characters`
  try {
    // Compiled alone first: a pattern like `a)|(b` must not escape the anchoring group.
    new RegExp(pattern)
    return new RegExp(`^(?:${pattern})$`)
  } catch (error) {
    return `invalid regular expression: ${error instanceof Error ? error.message : String(error)}`
  }
}
