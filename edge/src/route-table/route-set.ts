// The routes of one virtual host that apply to one listener port (and one wildcard kind):
// exact paths in a Map, prefixes in a segment trie. Lookups never scan the host's routes.
import { predicatesHold, type CompiledRoute } from './compiled-route'
import type { MatchRequest } from './match-types'

interface TrieNode {
  children: Map<string, TrieNode> | null
  /** Prefix routes ending at this node, in precedence order. */
  routes: CompiledRoute[] | null
}

const newNode = (): TrieNode => ({ children: null, routes: null })

export class RouteSet {
  private readonly exact = new Map<string, CompiledRoute[]>()
  private readonly root = newNode()
  size = 0

  /** Routes must be added in precedence order: each list then stays sorted. */
  add(route: CompiledRoute): void {
    this.size++
    if (route.exact) {
      const list = this.exact.get(route.path)
      if (list) list.push(route)
      else this.exact.set(route.path, [route])
      return
    }
    let node = this.root
    if (route.path !== '/') {
      for (const segment of route.path.slice(1).split('/')) {
        node.children ??= new Map()
        let child = node.children.get(segment)
        if (!child) node.children.set(segment, (child = newNode()))
        node = child
      }
    }
    ;(node.routes ??= []).push(route)
  }

  /** The highest-precedence route of this set that matches, or null. */
  lookup(request: MatchRequest): CompiledRoute | null {
    const exact = this.exact.get(request.path)
    if (exact) for (const route of exact) if (predicatesHold(route, request)) return route
    return this.lookupPrefix(request, this.root, request.path, 1)
  }

  /** Deepest matching prefix first: a longer prefix always has higher precedence. */
  private lookupPrefix(request: MatchRequest, node: TrieNode, path: string, start: number): CompiledRoute | null {
    if (node.children !== null && start <= path.length) {
      let end = path.indexOf('/', start)
      if (end < 0) end = path.length
      const child = node.children.get(path.slice(start, end))
      if (child) {
        const deeper = this.lookupPrefix(request, child, path, end + 1)
        if (deeper) return deeper
      }
    }
    if (node.routes !== null) for (const route of node.routes) if (predicatesHold(route, request)) return route
    return null
  }

  /** Every route whose path matches, in precedence order (for explanations, not the hot path). */
  pathMatches(path: string): CompiledRoute[] {
    const found: CompiledRoute[] = [...(this.exact.get(path) ?? [])]
    const prefixes: CompiledRoute[][] = []
    let node: TrieNode | undefined = this.root
    let start = 1
    while (node) {
      if (node.routes) prefixes.unshift(node.routes)
      if (!node.children || start > path.length) break
      let end = path.indexOf('/', start)
      if (end < 0) end = path.length
      node = node.children.get(path.slice(start, end))
      start = end + 1
    }
    return found.concat(...prefixes)
  }
}
