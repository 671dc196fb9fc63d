// The path index of a large route set (route-set.ts): exact paths in a Map, prefixes bucketed
// by their length. A lookup asks only the request path's own element boundaries at which some
// prefix ends, longest first: never a scan over the set's routes. A bucket of a few prefixes is
// compared in place (no substring, no hashing); a larger one is a Map.
import { predicatesHold, type CompiledRoute } from './compiled-route'
import type { MatchRequest } from './match-types'

/** Up to this many distinct prefixes of one length are compared with startsWith. */
const SMALL_BUCKET = 4

interface PrefixRoutes {
  prefix: string
  /** In precedence order. */
  routes: CompiledRoute[]
}

/** The prefixes of one length: a short list, or a Map once it grows. */
type Bucket = PrefixRoutes[] | Map<string, CompiledRoute[]>

export class PathIndex {
  private readonly exact = new Map<string, CompiledRoute[]>()
  /** byLength[n]: the prefix routes whose normalised value (no trailing slash) has length n. */
  private byLength: (Bucket | undefined)[] = []
  private root: CompiledRoute[] | null = null

  /** Routes must be added in precedence order: each list then stays sorted. */
  add(route: CompiledRoute): void {
    if (route.exact) {
      const list = this.exact.get(route.path)
      if (list) list.push(route)
      else this.exact.set(route.path, [route])
    } else if (route.path === '/') {
      ;(this.root ??= []).push(route)
    } else {
      this.addPrefix(route)
    }
  }

  /** The highest-precedence route of the index that matches, or null. */
  lookup(request: MatchRequest): CompiledRoute | null {
    const path = request.path
    if (this.exact.size > 0) {
      const exact = this.exact.get(path)
      if (exact !== undefined) for (const route of exact) if (predicatesHold(route, request)) return route
    }
    // A longer prefix always has higher precedence: element boundaries from the longest down.
    const byLength = this.byLength
    for (let end = Math.min(path.length, byLength.length - 1); end > 0; end = path.lastIndexOf('/', end - 1)) {
      const bucket = byLength[end]
      if (bucket === undefined || (end < path.length && path.charCodeAt(end) !== 47)) continue
      const routes = routesIn(bucket, path, end)
      if (routes !== undefined) for (const route of routes) if (predicatesHold(route, request)) return route
    }
    if (this.root !== null) for (const route of this.root) if (predicatesHold(route, request)) return route
    return null
  }

  private addPrefix(route: CompiledRoute): void {
    const length = route.path.length
    while (this.byLength.length <= length) this.byLength.push(undefined)
    const bucket = (this.byLength[length] ??= [])
    if (bucket instanceof Map) {
      const list = bucket.get(route.path)
      if (list) list.push(route)
      else bucket.set(route.path, [route])
      return
    }
    const entry = bucket.find((e) => e.prefix === route.path)
    if (entry) entry.routes.push(route)
    else if (bucket.length < SMALL_BUCKET) bucket.push({ prefix: route.path, routes: [route] })
    else this.byLength[length] = new Map([...bucket.map((e): [string, CompiledRoute[]] => [e.prefix, e.routes]), [route.path, [route]]])
  }
}

/** The routes of `bucket` whose prefix is the first `end` characters of `path`. */
function routesIn(bucket: Bucket, path: string, end: number): CompiledRoute[] | undefined {
  if (bucket instanceof Map) return bucket.get(end === path.length ? path : path.slice(0, end))
  for (const entry of bucket) if (path.startsWith(entry.prefix)) return entry.routes
  return undefined
}
