// The local stand-ins of one local run: a backend per resolved Service port, started the first
// time a table sends traffic to it and kept for the run, and the table loading that points
// each table at them (local-backends.ts) before the edge serves it.
import { parseRouteTable } from '../../../edge/src/route-table/parse'
import type { RouteTable } from '../../../edge/src/route-table/types'
import type { RouteTableHolder } from '../../../edge/src/table/route-table-holder'
import { startEchoBackend, type EchoBackend } from './echo-backend'
import { pointAtLocalBackends, serviceKey, servicePortsOf } from './local-backends'

export class LocalStandIns {
  readonly backends = new Map<string, EchoBackend>()

  constructor(
    private readonly tables: RouteTableHolder,
    private readonly host: string,
  ) {}

  /** Loads a compiled or published table; returns the table served, or why it was refused. */
  async load(input: RouteTable | string, origin: string): Promise<RouteTable | string> {
    const parsed = typeof input === 'string' ? parseRouteTable(input) : { ok: true as const, table: input }
    if (!parsed.ok) return `${origin}: ${parsed.error.path}: ${parsed.error.message}`
    for (const service of servicePortsOf(parsed.table)) {
      const key = serviceKey(service)
      if (!this.backends.has(key)) this.backends.set(key, await startEchoBackend(key, this.host))
    }
    const table = await pointAtLocalBackends(parsed.table, this.backends)
    const loaded = this.tables.load(table, origin)
    return loaded.ok ? table : `table refused: ${loaded.error.path}: ${loaded.error.message}`
  }

  describe(): string {
    return [...this.backends.values()].map((b) => `${b.service} = ${b.address}:${b.port}`).join(', ')
  }

  async close(): Promise<void> {
    await Promise.all([...this.backends.values()].map((b) => b.close()))
  }
}
