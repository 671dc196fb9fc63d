// Gateway API HTTPHeaderFilter (RequestHeaderModifier / ResponseHeaderModifier) on a Headers object.
import type { HeaderModifier } from '../route-table/types'

/** Set overwrites, add appends to the existing value, remove deletes; names are case-insensitive. */
export function applyHeaderModifier(headers: Headers, modifier: HeaderModifier): void {
  for (const { name, value } of modifier.set) headers.set(name, value)
  for (const { name, value } of modifier.add) appendValue(headers, name, value)
  for (const name of modifier.remove) headers.delete(name)
}

/**
 * `old,new` in one field line. Web Headers would join with ", ", which a backend reading field
 * lines (Go's net/http, the Gateway API conformance echo server) sees as one value with a
 * space, where Envoy's separate lines read as `old,new`. Set-Cookie lines never merge, and
 * Cookie pairs are separated by "; " (RFC 6265 5.4).
 */
function appendValue(headers: Headers, name: string, value: string): void {
  const key = name.toLowerCase()
  const existing = key === 'set-cookie' ? null : headers.get(key)
  if (existing === null) headers.append(key, value)
  else headers.set(key, `${existing}${key === 'cookie' ? '; ' : ','}${value}`)
}
