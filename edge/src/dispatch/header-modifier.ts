// Gateway API HTTPHeaderFilter (RequestHeaderModifier / ResponseHeaderModifier) on a Headers object.
import type { HeaderModifier } from '../route-table/types'

/** Set overwrites, add appends to existing values, remove deletes; names are case-insensitive. */
export function applyHeaderModifier(headers: Headers, modifier: HeaderModifier): void {
  for (const { name, value } of modifier.set) headers.set(name, value)
  for (const { name, value } of modifier.add) headers.append(name, value)
  for (const name of modifier.remove) headers.delete(name)
}
