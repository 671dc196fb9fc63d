// The routes of one virtual host that apply to one listener port (and one wildcard kind), in
// precedence order. A small set (the usual virtual host) is scanned in that order: the first
// route whose path and predicates hold wins, and most routes are ruled out by their path
// length and the character after it alone. A set of more than SCAN_LIMIT routes is looked up
// in a path index instead (path-index.ts), so a lookup never scans a large host.
//
// Small sets keep their routes in columns shared by the whole matcher, one contiguous range
// each (RouteColumns): at 100k routes, a lookup then reads one range of path lengths and one of
// routes instead of following a chain of per-set arrays, each a cache miss.
import { predicatesHold, type CompiledRoute } from './compiled-route'
import type { MatchRequest } from './match-types'
import { PathIndex } from './path-index'

/** Sets of up to this many routes are scanned; larger ones are looked up in their index. */
export const SCAN_LIMIT = 16

/** The routes of every small set of one matcher, side by side with their path lengths. */
export class RouteColumns {
  /** Per route, its path length, negative for an Exact path. */
  readonly lengths: number[] = []
  readonly routes: CompiledRoute[] = []
}

export class RouteSet {
  /** Routes added and not sealed yet; then null. */
  private pending: CompiledRoute[] | null = []
  /** A small set's range in the shared columns. */
  private columns: RouteColumns | null = null
  private start = 0
  /** A large set's index. */
  private index: PathIndex | null = null
  size = 0

  get sealed(): boolean {
    return this.pending === null
  }

  /** Routes must be added in precedence order, and before the set is sealed. */
  add(route: CompiledRoute): void {
    this.pending!.push(route)
    this.size++
  }

  /** Ends the building: the routes go into the shared columns, a large set's into a path index too. */
  seal(columns: RouteColumns): void {
    const routes = this.pending!
    this.pending = null
    if (routes.length > SCAN_LIMIT) {
      this.index = new PathIndex()
      for (const route of routes) this.index.add(route)
    }
    // A large set keeps its range too, for explanations (pathMatches).
    this.columns = columns
    this.start = columns.routes.length
    for (const route of routes) {
      columns.routes.push(route)
      columns.lengths.push(route.exact ? -route.path.length : route.path.length)
    }
  }

  /** The highest-precedence route of this set that matches, or null. */
  lookup(request: MatchRequest): CompiledRoute | null {
    if (this.index !== null) return this.index.lookup(request)
    const { lengths, routes } = this.columns!
    const path = request.path
    for (let i = this.start, end = i + this.size; i < end; i++) {
      if (!fits(lengths[i]!, path)) continue
      const route = routes[i]!
      if (samePath(route, path) && predicatesHold(route, request)) return route
    }
    return null
  }

  /** Every route whose path matches, in precedence order (for explanations, not the hot path). */
  pathMatches(path: string): CompiledRoute[] {
    const { lengths, routes } = this.columns!
    const found: CompiledRoute[] = []
    for (let i = this.start; i < this.start + this.size; i++) if (fits(lengths[i]!, path) && samePath(routes[i]!, path)) found.push(routes[i]!)
    return found
  }
}

/**
 * Whether a route path of this length (negative: Exact) can match `path` at all. Exact: the
 * same length. Prefix: whole segments, so the prefix ends the path or a `/` follows it; `/`
 * (length 1) fits every path.
 */
function fits(length: number, path: string): boolean {
  if (length < 0) return -length === path.length
  return length <= path.length && (length === 1 || length === path.length || path.charCodeAt(length) === 47)
}

/** For a route whose length fits: its path is the request's (Exact) or begins it (prefix). */
const samePath = (route: CompiledRoute, path: string): boolean => (route.exact ? route.path === path : path.startsWith(route.path))
