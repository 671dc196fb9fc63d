// RFC 9112 3.2: a request with more than one Host field line must be answered 400. Node keeps
// only the first in req.headers, which the general path reads, so without this check the edge
// would route by one Host while the raw request carried another.

/** True when Node's rawHeaders ([name, value, ...]) hold Host more than once. */
export function hasRepeatedHost(raw: readonly string[]): boolean {
  let seen = false
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!
    if (name.length !== 4 || name.toLowerCase() !== 'host') continue
    if (seen) return true
    seen = true
  }
  return false
}
