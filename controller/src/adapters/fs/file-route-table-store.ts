// RouteTableStore on a local file: written to a temporary file in the same directory, flushed,
// then renamed over the target, so a reader (`edge-ingress serve --routes`, a file source)
// sees the old table or the new one, never a partial one.
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import type { RouteTable } from '../../../../edge/src/route-table/types'
import type { RouteTableStore } from '../../ports/route-table-store'

export class FileRouteTableStore implements RouteTableStore {
  readonly name: string
  private readonly path: string

  constructor(path: string) {
    this.path = resolve(path)
    this.name = `file:${this.path}`
  }

  async publish(_table: RouteTable, body: string): Promise<void> {
    const temporary = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.${Date.now()}.tmp`)
    try {
      const handle = await open(temporary, 'w', 0o644)
      try {
        await handle.writeFile(body)
        await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temporary, this.path)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
  }
}
