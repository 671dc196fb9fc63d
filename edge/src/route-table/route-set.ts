// The routes of one virtual host that apply to one listener port (and one wildcard kind), in
// precedence order. A small set (the usual virtual host) is scanned in that order: the first
// route whose path and conditions hold wins, and most routes are ruled out by their path
// length and the character after it alone. A set of more than SCAN_LIMIT routes is looked up
// in a path index instead (path-index.ts), so a lookup never scans a large host.
//
// What a scan reads lies in one array shared by the whole matcher (RouteSlots), a contiguous
// range per set: at 100k routes, a lookup reads that range and no per-route object, except to
// test a header or query condition (each object read is a likely cache miss per request).
import { headerHolds, predicatesHold, type CompiledRoute, type ValuePredicate } from './compiled-route'
import type { MatchRequest } from './match-types'
import { PathIndex } from './path-index'
import type { Route, VirtualHost } from './types'

/** Sets of up to this many routes are scanned; larger ones are looked up in their index. */
export const SCAN_LIMIT = 16

// One route's slots in RouteSlots, side by side:
/** Its path's length, negative for an Exact path. */
const LENGTH = 0
/** Its normalised path. */
const PATH = 1
/**
 * Null: no condition. A string: a method, its only condition. A ValuePredicate: one header, its
 * only condition (canary routes). True: others (predicatesHold).
 */
const CONDITION = 2
const COMPILED = 3
/** The table's Route and virtual host, for a hit. */
const ROUTE = 4
const HOST = 5
const STRIDE = 6

/** The routes of every set of one matcher, STRIDE slots each; a route is known by its offset. */
export class RouteSlots {
  readonly slots: unknown[] = []

  compiled(at: number): CompiledRoute {
    return this.slots[at + COMPILED] as CompiledRoute
  }
  route(at: number): Route {
    return this.slots[at + ROUTE] as Route
  }
  host(at: number): VirtualHost {
    return this.slots[at + HOST] as VirtualHost
  }

  /** Appends a route; returns its offset. */
  push(c: CompiledRoute): number {
    const at = this.slots.length
    this.slots.push(c.exact ? -c.path.length : c.path.length, c.path, conditionOf(c), c, c.route, c.host)
    return at
  }
}

/** What a scan tests once a route's path fits (CONDITION). */
function conditionOf(c: CompiledRoute): string | ValuePredicate | true | null {
  if (c.pathOnly) return null
  if (c.headers.length === 0 && c.query.length === 0) return c.method
  if (c.method === null && c.query.length === 0 && c.headers.length === 1) return c.headers[0]!
  return true
}

export class RouteSet {
  /** Routes added and not sealed yet; then null. */
  private pending: CompiledRoute[] | null = []
  private slots: RouteSlots | null = null
  /** The offset of the set's first route in the slots. */
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

  /** Ends the building: the routes go into the shared slots, a large set's into a path index too. */
  seal(slots: RouteSlots): void {
    const routes = this.pending!
    this.pending = null
    this.slots = slots
    this.start = slots.slots.length
    for (const route of routes) route.slot = slots.push(route)
    if (routes.length > SCAN_LIMIT) {
      this.index = new PathIndex()
      for (const route of routes) this.index.add(route)
    }
  }

  /** The offset in the slots of the highest-precedence route of this set that matches, or -1. */
  lookup(request: MatchRequest): number {
    if (this.index !== null) return this.index.lookup(request)?.slot ?? -1
    const slots = this.slots!.slots
    const path = request.path
    for (let at = this.start, end = at + this.size * STRIDE; at < end; at += STRIDE) {
      const length = slots[at + LENGTH] as number
      if (length < 0 ? -length !== path.length || slots[at + PATH] !== path : !prefixOf(length, slots[at + PATH] as string, path)) continue
      const condition = slots[at + CONDITION]
      if (condition === null || condition === request.method) return at
      if (condition === true ? predicatesHold(slots[at + COMPILED] as CompiledRoute, request) : typeof condition === 'object' && headerHolds(condition as ValuePredicate, request)) return at
    }
    return -1
  }

  /** Every route whose path matches, in precedence order (for explanations, not the hot path). */
  pathMatches(path: string): CompiledRoute[] {
    const found: CompiledRoute[] = []
    for (let at = this.start; at < this.start + this.size * STRIDE; at += STRIDE) {
      const length = this.slots!.slots[at + LENGTH] as number
      const c = this.slots!.compiled(at)
      if (length < 0 ? c.path === path : prefixOf(length, c.path, path)) found.push(c)
    }
    return found
  }
}

/** Whole segments: the prefix begins the path and ends it or a `/` follows; `/` is a prefix of every path. */
function prefixOf(length: number, prefix: string, path: string): boolean {
  return length <= path.length && (length === 1 || length === path.length || path.charCodeAt(length) === 47) && path.startsWith(prefix)
}
