// The routes of one hostname, compiled, put in precedence order and placed into that hostname's
// entries (on every port, on each listener port) the first time a request looks at one of them.
// Loading a table validates all of it, but indexes a host only once it gets traffic (ADR 0104):
// at 10k routes that is most of the index's cold-start cost, spent on hosts nobody asked for.
import { comparePrecedence, compileRoute, type CompileCaches, type CompiledRoute } from './compiled-route'
import type { HostEntry } from './host-index'
import type { RouteSlots } from './route-set'
import type { VirtualHost } from './types'

/** What the builds of one matcher's hosts share. */
export interface BuildContext {
  caches: CompileCaches
  slots: RouteSlots
}

export class HostRoutes {
  /** Normally one; a table that repeats a hostname (never a validated one) lists it more than once. */
  readonly vhosts: VirtualHost[] = []
  /** The entry for the routes without listener ports, once one exists. */
  everyPort: HostEntry | null = null
  /** The entry on each listener port some route names. */
  readonly byPort = new Map<number, HostEntry>()
  private built = false

  constructor(private readonly context: BuildContext) {}

  build(): void {
    if (this.built) return
    this.built = true
    const compiled: CompiledRoute[] = []
    for (const vhost of this.vhosts) {
      for (const route of vhost.routes) {
        const c = compileRoute(route, vhost, this.context.caches)
        if (c) compiled.push(c)
      }
    }
    // Never trust the table's order: tables get merged across clusters.
    compiled.sort(comparePrecedence)
    for (let rank = 0; rank < compiled.length; rank++) {
      const c = compiled[rank]!
      c.rank = rank
      if (c.route.listenerPorts.length === 0) this.everyPort!.place(c)
      for (const port of c.route.listenerPorts) this.byPort.get(port)!.place(c)
    }
    this.everyPort?.seal(this.context.slots)
    for (const entry of this.byPort.values()) entry.seal(this.context.slots)
  }
}
